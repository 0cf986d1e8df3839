import {
  type FieldDefinition,
  type FieldKind,
  type ResourceDefinition,
} from './resource-definitions.js';

/** One item of a page, checked: `values` follow the resource's `fields` (absent when deleted). */
export interface SourceItem {
  id: string;
  updatedAt: Date;
  deleted: boolean;
  values: (string | number)[];
}

/** The platform sent an item this side cannot store; the run stops rather than skip it. */
export class InvalidSourceItemError extends Error {}

const DECIMAL = /^-?\d{1,10}(\.\d{1,2})?$/;

export function parseSourceItem(resource: ResourceDefinition, raw: unknown): SourceItem {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidSourceItemError(`${resource.name}: an item is not an object`);
  }
  const item = raw as Record<string, unknown>;
  const id = item.id;
  if (!(typeof id === 'string' && id.length > 0 && id.length <= 200) && !Number.isSafeInteger(id)) {
    throw new InvalidSourceItemError(`${resource.name}: an item has no valid id`);
  }
  const where = `${resource.name} ${String(id)}`;
  const updatedAt = parseTimestamp(item.updated_at, `${where}: updated_at`);
  if (item.deleted !== undefined && typeof item.deleted !== 'boolean') {
    throw new InvalidSourceItemError(`${where}: deleted must be a boolean`);
  }
  const deleted = item.deleted === true;
  return {
    id: String(id),
    updatedAt,
    deleted,
    values: deleted
      ? []
      : resource.fields.map((field) => parseField(field, item[field.key], where)),
  };
}

function parseField(field: FieldDefinition, value: unknown, where: string): string | number {
  const problem = checkField(field.kind, value);
  if (problem) throw new InvalidSourceItemError(`${where}: ${field.key} ${problem}`);
  if (field.kind === 'timestamp') return new Date(value as string).toISOString();
  return field.kind === 'decimal' ? String(value) : (value as string | number);
}

function checkField(kind: FieldKind, value: unknown): string | null {
  switch (kind) {
    case 'text':
      return typeof value === 'string' ? null : 'must be a string';
    case 'email':
      return typeof value === 'string' && /^[^@\s]+@[^@\s]+$/.test(value)
        ? null
        : 'must be an email';
    case 'timestamp':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
        ? null
        : 'must be an ISO-8601 timestamp';
    case 'decimal': {
      const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
      return typeof text === 'string' && DECIMAL.test(text)
        ? null
        : 'must be a number with at most 10 digits and 2 decimals';
    }
    case 'percent':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 100
        ? null
        : 'must be an integer from 0 to 100';
  }
}

function parseTimestamp(value: unknown, what: string): Date {
  const time = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(time)) throw new InvalidSourceItemError(`${what} must be an ISO-8601 timestamp`);
  return new Date(time);
}
