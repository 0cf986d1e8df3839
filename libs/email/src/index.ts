export * from './email-templates.js';
export * from './email-message.js';
export * from './email-job.js';
