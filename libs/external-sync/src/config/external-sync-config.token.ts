/** Injection token of the ExternalSyncConfig. */
export const EXTERNAL_SYNC_CONFIG = Symbol('EXTERNAL_SYNC_CONFIG');
