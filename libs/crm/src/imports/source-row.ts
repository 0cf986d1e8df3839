/**
 * One row as read from a file or request body, numbered from 1 (a CSV header is not a row):
 * either its raw fields, still to be validated, or why they could not be read.
 */
export type SourceRow = { row: number; fields: unknown } | { row: number; unreadable: string };
