/** The fake partner platform lives in bench/support (the sync benchmark serves from it too). */
export * from '../../bench/support/fake-partner-platform.js';
