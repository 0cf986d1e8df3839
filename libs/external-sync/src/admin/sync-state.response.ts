import { ApiProperty } from '@nestjs/swagger';
import { SOURCE_NAMES, type SourceName } from '../source/source-name.js';
import { type ResourceState, type SourceState } from '../state/sync-state-view.js';

const iso = (date: Date | null) => date?.toISOString() ?? null;

export class ResourceStateResponse {
  @ApiProperty({ example: 'enrollments' }) resource: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the newest platform updated_at committed; the next pass asks for changes since',
  })
  watermark: string | null;
  @ApiProperty({ description: 'a pass is part-way; the next run resumes it at the next page' })
  passInProgress: boolean;
  @ApiProperty({ type: String, nullable: true }) lastRunStartedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) lastRunFinishedAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'when a pass last reached the end' })
  caughtUpAt: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'seconds since caughtUpAt' })
  lagSeconds: number | null;
  @ApiProperty() pagesSynced: number;
  @ApiProperty({ description: 'items applied (upserted or deleted), ever' }) itemsSynced: number;
  @ApiProperty() itemsDeleted: number;
  @ApiProperty({ description: 'items applied by the last or the running run' })
  lastRunItems: number;
  @ApiProperty() failedRuns: number;
  @ApiProperty({ description: 'failed runs since the last one that caught up' })
  consecutiveFailures: number;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: String, nullable: true }) lastErrorAt: string | null;

  static of(state: ResourceState): ResourceStateResponse {
    return {
      ...state,
      watermark: iso(state.watermark),
      lastRunStartedAt: iso(state.lastRunStartedAt),
      lastRunFinishedAt: iso(state.lastRunFinishedAt),
      caughtUpAt: iso(state.caughtUpAt),
      lastErrorAt: iso(state.lastErrorAt),
    };
  }
}

export class SourceStateResponse {
  @ApiProperty({ enum: SOURCE_NAMES }) source: SourceName;
  @ApiProperty({ description: 'its URL is configured' }) enabled: boolean;
  @ApiProperty({ description: 'a run holds the source now' }) running: boolean;
  @ApiProperty({ type: [ResourceStateResponse] }) resources: ResourceStateResponse[];

  static of(state: SourceState): SourceStateResponse {
    return { ...state, resources: state.resources.map((r) => ResourceStateResponse.of(r)) };
  }
}

export class SyncStateResponse {
  @ApiProperty({ type: [SourceStateResponse] }) sources: SourceStateResponse[];
}

export class SyncRunRequestedResponse {
  @ApiProperty({ enum: SOURCE_NAMES }) source: SourceName;
  @ApiProperty({ description: 'the run is queued; GET /api/admin/sync shows it' }) queued: boolean;
}
