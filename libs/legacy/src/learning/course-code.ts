/** The native course code rule (CreateCourseDto): 2-30 upper-case letters, digits or dashes. */
export const COURSE_CODE_MAX = 30;

/**
 * SQL turning a legacy free-text code into the native rule: upper case, every run of other
 * characters one dash, no dash at either end, at most 30 characters ('mas 101' → 'MAS-101').
 * A result shorter than 2 characters gets a 'COURSE' prefix ('' → 'COURSE', 'x' → 'COURSE-X').
 */
export function normalisedCourseCode(code: string): string {
  const cleaned = `rtrim(left(btrim(regexp_replace(upper(coalesce(${code}, '')), '[^A-Z0-9]+', '-', 'g'), '-'), ${COURSE_CODE_MAX}), '-')`;
  return `(SELECT CASE WHEN length(c) >= 2 THEN c WHEN c = '' THEN 'COURSE' ELSE 'COURSE-' || c END
             FROM (SELECT ${cleaned} AS c) AS cleaned)`;
}

/** SQL for `base` with the collision suffix `-n`, cut so the whole stays within 30 characters. */
export function suffixedCourseCode(base: string, n: string): string {
  return `(rtrim(left(${base}, ${COURSE_CODE_MAX} - 1 - length((${n})::text)), '-') || '-' || (${n})::text)`;
}
