import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class InvalidLeadRow {
  @ApiPropertyOptional({
    description:
      'where the row starts in the CSV or JSON text: 1-based physical line, a CSV header counted ' +
      '(absent for a JSON request body, which is parsed before the import sees it)',
  })
  line?: number;
  @ApiProperty({ description: '1-based data row (a CSV header is not counted)' }) row: number;
  @ApiProperty() reason: string;
}

export class LeadImportSummary {
  @ApiProperty() inserted: number;
  @ApiProperty({
    description: 'valid rows whose source and email already exist (or repeat in the input)',
  })
  skipped: number;
  @ApiProperty({ type: [InvalidLeadRow] }) invalid: InvalidLeadRow[];
  @ApiPropertyOptional({ description: 'invalid rows beyond the listed ones (command line only)' })
  invalidNotListed?: number;
}
