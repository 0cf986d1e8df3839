import { ApiProperty } from '@nestjs/swagger';
import { type KpiSnapshotView } from './kpi.service.js';

export class KpiSnapshotResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() computedAt: string;
  @ApiProperty({
    description:
      'usersByRole, bookings {today, last7Days}, tokensSpent {today, last7Days}, leadsByStatus, ' +
      'applicationsByStatus, conversion {leads, leadsWithApplication, applications, enrolled, ' +
      'leadToApplication, applicationToEnrolled}; "today" is the current UTC day',
    type: 'object',
    additionalProperties: true,
  })
  metrics: Record<string, unknown>;

  static of(snapshot: KpiSnapshotView): KpiSnapshotResponse {
    return {
      id: snapshot.id,
      computedAt: snapshot.computedAt.toISOString(),
      metrics: { ...snapshot.metrics },
    };
  }
}
