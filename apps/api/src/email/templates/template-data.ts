import { EmailDataError } from './email-data-error.js';

/** Typed reads of a message's `data`, failing with a message naming the template and field. */
export class TemplateData {
  constructor(
    private readonly template: string,
    private readonly data: Record<string, unknown>,
  ) {}

  text(field: string): string {
    const value = this.optionalText(field);
    if (value === undefined) throw this.error(field, 'is required');
    return value;
  }

  optionalText(field: string): string | undefined {
    const value = this.data[field];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw this.error(field, 'must be a string');
    }
    return String(value).trim();
  }

  optionalNumber(field: string): number | undefined {
    const value = this.data[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw this.error(field, 'must be a number');
    }
    return value;
  }

  /** An ISO timestamp, shown in UTC, e.g. "Friday, 1 May 2026 at 14:00 UTC". */
  when(field: string): string {
    const formatted = this.optionalWhen(field);
    if (formatted === undefined) throw this.error(field, 'is required');
    return formatted;
  }

  optionalWhen(field: string): string | undefined {
    const raw = this.optionalText(field);
    if (raw === undefined) return undefined;
    const date = new Date(raw);
    if (Number.isNaN(date.getTime())) throw this.error(field, 'must be an ISO-8601 timestamp');
    const formatted = new Intl.DateTimeFormat('en-GB', {
      dateStyle: 'full',
      timeStyle: 'short',
      timeZone: 'UTC',
    }).format(date);
    return `${formatted} UTC`;
  }

  private error(field: string, problem: string): EmailDataError {
    return new EmailDataError(`template ${this.template}: data.${field} ${problem}`);
  }
}
