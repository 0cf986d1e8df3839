// Shared with test/global-setup.js, which loads the build's copy (Jest runs it untransformed).
export { PrivatePgBouncer } from '../../bench/support/private-pgbouncer.js';
