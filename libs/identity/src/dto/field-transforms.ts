import { Transform } from 'class-transformer';

const trimmed = (value: unknown): unknown => (typeof value === 'string' ? value.trim() : value);

export const Trim = () => Transform(({ value }: { value: unknown }) => trimmed(value));

export const NormalizeEmail = () =>
  Transform(({ value }: { value: unknown }) => {
    const text = trimmed(value);
    return typeof text === 'string' ? text.toLowerCase() : text;
  });
