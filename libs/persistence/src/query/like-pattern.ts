/** A LIKE/ILIKE pattern matching values that start with `text`, wildcards in `text` escaped. */
export function prefixPattern(text: string): string {
  return `${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
