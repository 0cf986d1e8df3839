export * from './import-phase.js';
export * from './report-outcomes.js';
export * from './users/index.js';
export * from './mentorship/index.js';
export * from './money/index.js';
export * from './learning/index.js';
export * from './crm/index.js';
