import { Module } from '@nestjs/common';
import { KpiJobHandler } from './kpi-job.handler.js';
import { KpiController } from './kpi.controller.js';
import { KpiService } from './kpi.service.js';

/** KPI snapshots: computed by the scheduled `kpi` job or on demand, read by admins. */
@Module({
  controllers: [KpiController],
  providers: [KpiService, KpiJobHandler],
  exports: [KpiService],
})
export class KpiModule {}
