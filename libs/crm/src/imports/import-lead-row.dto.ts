import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { CreateLeadDto } from '../dto/lead.dto.js';
import { LeadStatus } from '../entities/lead-status.enum.js';

/**
 * One imported lead: the rules of CreateLeadDto (OmitType carries its validators and transforms
 * over), without tags, plus an optional starting status.
 */
export class ImportLeadRow extends OmitType(CreateLeadDto, ['tags'] as const) {
  @ApiPropertyOptional({ enum: LeadStatus })
  @IsOptional()
  @IsEnum(LeadStatus)
  status?: LeadStatus;
}

/** The fields a row may carry: JSON keys, or CSV header names. */
export const IMPORT_COLUMNS = [
  'fullName',
  'email',
  'phone',
  'source',
  'platform',
  'status',
] as const satisfies readonly (keyof ImportLeadRow)[];

export const REQUIRED_IMPORT_COLUMNS = ['fullName', 'source'] as const;
