/** The message cannot be rendered (unknown template, missing data): retrying will not help. */
export class EmailDataError extends Error {}
