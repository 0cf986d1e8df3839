export * from './import-lead-row.dto.js';
export * from './import-limits.js';
export * from './lead-file-error.js';
export * from './lead-file-rows.js';
export * from './lead-import-summary.js';
export * from './lead-import.service.js';
export * from './source-row.js';
