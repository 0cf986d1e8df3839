export * from './import-phase.js';
export * from './report-outcomes.js';
export * from './money/index.js';
