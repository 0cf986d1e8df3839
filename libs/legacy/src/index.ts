export * from './import-phase.js';
export * from './report-outcomes.js';
export * from './learning/index.js';
export * from './crm/index.js';
