import { Transform } from 'class-transformer';

const trimmed = (value: unknown): unknown => (typeof value === 'string' ? value.trim() : value);

/** Trims string input; other values pass through for the validators to judge. */
export const Trim = () => Transform(({ value }: { value: unknown }) => trimmed(value));

/** Trims and lower-cases string input (emails, sources). */
export const TrimLower = () =>
  Transform(({ value }: { value: unknown }) => {
    const text = trimmed(value);
    return typeof text === 'string' ? text.toLowerCase() : text;
  });
