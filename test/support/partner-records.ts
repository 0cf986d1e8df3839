/** Partner platform fixtures live in bench/support (the sync benchmark generates them too). */
export * from '../../bench/support/partner-records.js';
