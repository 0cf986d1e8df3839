import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Router } from 'express';

type ServerAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter'];

/** The bull-board UI and its JSON API for `queues`, as an Express router served at `basePath`. */
export function queueDashboardRouter(queues: Queue[], basePath: string): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    // @bull-board/express ships its own copy of @bull-board/api; the classes match at runtime.
    serverAdapter: serverAdapter as unknown as ServerAdapter,
    options: { uiConfig: { boardTitle: 'MAS queues' } },
  });
  return serverAdapter.getRouter() as Router;
}
