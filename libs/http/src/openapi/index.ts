export * from './error-response.js';
export * from './for-each-route.js';
export * from './api-errors.decorator.js';
export * from './api-page.decorator.js';
