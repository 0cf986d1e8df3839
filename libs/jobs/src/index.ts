export * from './job-handler.js';
export * from './queue-registry.js';
