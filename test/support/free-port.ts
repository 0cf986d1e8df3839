// Shared with the benchmarks, which the build compiles (test/ it does not).
export { freePort } from '../../bench/support/free-port.js';
