export * from './error-detail.js';
export * from './domain-error.js';
export * from './permanent-errors.js';
export * from './retry-later-errors.js';
