import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { findUnsafeInput } from '@mas/persistence';
import { ImportLeadRow } from './import-lead-row.dto.js';

export type RowValidation = { lead: ImportLeadRow } | { reason: string };

/** Checks one raw row the way the global ValidationPipe checks a CreateLeadDto body. */
export function validateLeadRow(raw: unknown): RowValidation {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { reason: 'a lead must be an object' };
  }
  // CSV rows and CLI files do not pass the HTTP input boundary: Postgres refuses NUL in text.
  const unsafe = findUnsafeInput(raw, { maxDepth: 2 });
  if (unsafe.length) {
    return { reason: unsafe.map(({ field, message }) => `${field} ${message}`).join('; ') };
  }
  const lead = plainToInstance(ImportLeadRow, raw);
  const errors = validateSync(lead, { whitelist: true, forbidNonWhitelisted: true });
  if (!errors.length) return { lead };
  return {
    reason: errors.flatMap((error) => Object.values(error.constraints ?? {})).join('; '),
  };
}
