/** The partner platforms; each writes into the schema of its name. */
export const SOURCE_NAMES = ['mrlearn', 'mrtest'] as const;

export type SourceName = (typeof SOURCE_NAMES)[number];

export function isSourceName(value: string): value is SourceName {
  return (SOURCE_NAMES as readonly string[]).includes(value);
}
