// Shared with the benchmarks, which the build compiles (test/ it does not).
export { PrivatePostgres } from '../../bench/support/private-postgres.js';
