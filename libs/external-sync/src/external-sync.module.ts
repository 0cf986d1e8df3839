import { type DynamicModule, Module } from '@nestjs/common';
import { type ExternalSyncConfig } from './config/external-sync-config.js';
import { EXTERNAL_SYNC_CONFIG } from './config/external-sync-config.token.js';
import { PageWriter } from './run/page-writer.js';
import { SourceSync } from './run/source-sync.js';
import { SyncLease } from './state/sync-lease.js';
import { SyncProgress } from './state/sync-progress.js';
import { SyncStateView } from './state/sync-state-view.js';

/**
 * The sync itself (runs, state), without HTTP: the app adds ExternalSyncHttpModule and the job
 * handler; `npm run sync:run` uses this alone.
 */
@Module({})
export class ExternalSyncModule {
  static forRoot(config: ExternalSyncConfig): DynamicModule {
    return {
      module: ExternalSyncModule,
      global: true,
      providers: [
        { provide: EXTERNAL_SYNC_CONFIG, useValue: config },
        SyncLease,
        SyncProgress,
        PageWriter,
        SourceSync,
        SyncStateView,
      ],
      exports: [EXTERNAL_SYNC_CONFIG, SourceSync, SyncStateView],
    };
  }
}
