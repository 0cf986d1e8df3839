import { Inject, Injectable, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { JobHandler } from '@mas/jobs';
import { JobHandlers } from './job-handlers.js';

const SETTINGS = Symbol('SETTINGS');

@JobHandler({ queue: 'reports', concurrency: 4 })
@Injectable()
class ReportsHandler implements JobHandler {
  handle(): Promise<string> {
    return Promise.resolve('report');
  }
}

/** Its concurrency is a setting, read from what it injects. */
@JobHandler({ queue: 'imports', concurrency: 2 })
@Injectable()
class ImportsHandler implements JobHandler {
  readonly concurrency: number;

  constructor(@Inject(SETTINGS) settings: { importConcurrency: number }) {
    this.concurrency = settings.importConcurrency;
  }

  handle(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
}

@JobHandler({ queue: 'audit', schedule: { id: 'audit-daily', jobName: 'audit', repeat: {} } })
@Injectable()
class AuditHandler implements JobHandler {
  handle(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
}

@JobHandler({ queue: 'reports' })
@Injectable()
class OtherReportsHandler implements JobHandler {
  handle(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
}

@Module({ providers: [ReportsHandler] })
class ReportsModule {}

@Module({
  providers: [
    ImportsHandler,
    AuditHandler,
    { provide: SETTINGS, useValue: { importConcurrency: 7 } },
  ],
})
class BackOfficeModule {}

async function discover(...features: (new () => unknown)[]) {
  const app = await Test.createTestingModule({
    imports: [DiscoveryModule, ...features],
    providers: [JobHandlers],
  }).compile();
  try {
    await app.init();
    return app.get(JobHandlers).all();
  } finally {
    await app.close();
  }
}

describe('JobHandlers: the @JobHandler providers of any module', () => {
  it('finds every decorated provider, sorted by queue, with its options and instance', async () => {
    const found = await discover(ReportsModule, BackOfficeModule);
    expect(found.map(({ name, options: { queue } }) => [queue, name])).toEqual([
      ['audit', 'AuditHandler'],
      ['imports', 'ImportsHandler'],
      ['reports', 'ReportsHandler'],
    ]);
    expect(found[0].options.schedule).toEqual({ id: 'audit-daily', jobName: 'audit', repeat: {} });
    expect(found[2].handler).toBeInstanceOf(ReportsHandler);
    expect(await found[2].handler.handle({} as never)).toBe('report');
  });

  it("takes the handler's own concurrency over the decorator's, and 1 when neither sets it", async () => {
    const found = await discover(ReportsModule, BackOfficeModule);
    expect(found.map(({ options: { queue }, concurrency }) => [queue, concurrency])).toEqual([
      ['audit', 1],
      ['imports', 7],
      ['reports', 4],
    ]);
  });

  it('refuses two handlers for one queue, naming both', async () => {
    @Module({ providers: [OtherReportsHandler] })
    class OtherReportsModule {}
    await expect(discover(ReportsModule, OtherReportsModule)).rejects.toThrow(
      /queue "reports" has two job handlers: (ReportsHandler and OtherReportsHandler|OtherReportsHandler and ReportsHandler)/,
    );
  });
});
