import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CrmModule } from '@mas/crm';
import { ExternalSyncHttpModule, ExternalSyncModule } from '@mas/external-sync';
import { FinanceModule } from '@mas/finance';
import { IdentityModule } from '@mas/identity';
import { LmsModule } from '@mas/lms';
import { MentorshipModule } from '@mas/mentorship';
import { AllExceptionsFilter } from '@mas/http';
import { type DatabaseConnection, PersistenceModule } from '@mas/persistence';
import type { DestinationStream } from 'pino';
import { AdminModule } from './admin/admin.module.js';
import { BackupModule } from './backup/backup.module.js';
import { type AppConfig } from './config/app-config.js';
import { APP_CONFIG } from './config/app-config.token.js';
import { ALL_ENTITIES } from './database/entities.js';
import { EmailModule } from './email/email.module.js';
import { ExternalSyncJobsModule } from './external-sync/external-sync-jobs.module.js';
import { HealthModule } from './health/health.module.js';
import { CleanupModule } from './jobs/cleanup/cleanup.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { KpiModule } from './kpi/kpi.module.js';
import { createLoggerModule } from './logging/logger.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { RealtimeModule } from './realtime/realtime.module.js';
import { ReplicasModule } from './replicas/replicas.module.js';
import { REDIS, RedisModule } from './redis/redis.module.js';
import { WorkflowApiModule } from './workflow/workflow-api.module.js';
import { WorkflowJobsModule } from './workflow/workflow-jobs.module.js';

export interface AppModuleOptions {
  config: AppConfig;
  connection: DatabaseConnection;
  /** Where logs go (stdout by default); tests capture them. */
  logDestination?: DestinationStream;
}

@Module({})
export class AppModule {
  static forRoot({ config, connection, logDestination }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        createLoggerModule(config, logDestination),
        PersistenceModule.forRoot({ config: config.database, connection, entities: ALL_ENTITIES }),
        IdentityModule.forRoot(config.identity, {
          redis: { token: REDIS, imports: [RedisModule] },
        }),
        FinanceModule,
        MentorshipModule,
        LmsModule,
        CrmModule,
        ReplicasModule,
        HealthModule,
        JobsModule.forRoot(config.jobs),
        EmailModule,
        KpiModule,
        CleanupModule,
        BackupModule.forRoot(config.backup),
        MetricsModule,
        AdminModule,
        RealtimeModule.forRoot(config),
        WorkflowApiModule,
        WorkflowJobsModule,
        ExternalSyncModule.forRoot(config.externalSync),
        ExternalSyncHttpModule,
        ExternalSyncJobsModule,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
      exports: [APP_CONFIG],
    };
  }
}
