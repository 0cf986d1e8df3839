import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const INDICATORS = {
  type: 'object',
  additionalProperties: { type: 'object', additionalProperties: true },
  description: 'by indicator (database, redis, migrations, backups): { status, ... }',
} as const;

/** Terminus' health body, also the body of a failing check's 503. */
export class HealthStatusResponse {
  @ApiProperty({ enum: ['ok', 'degraded', 'error', 'shutting_down'] }) status: string;
  @ApiPropertyOptional(INDICATORS) info?: Record<string, unknown>;
  @ApiPropertyOptional(INDICATORS) error?: Record<string, unknown>;
  @ApiPropertyOptional(INDICATORS) details?: Record<string, unknown>;
}
