import { Injectable, type OnModuleInit } from '@nestjs/common';
import { OutboxChannel, OutboxMessage, OutboxRelay, TransactionRunner } from '@mas/persistence';
import { evaluateExpression, isTruthy, parseExpression } from '../expressions/index.js';
import { DefinitionsService } from '../definitions/definitions.service.js';
import { type RunSubject, RunsService } from '../runs/runs.service.js';

/**
 * Starts runs of the definitions whose trigger matches a committed domain event (the outbox event
 * channel). The runs of one event start in one transaction, each at most once per event.
 */
@Injectable()
export class WorkflowTriggers implements OnModuleInit {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly transactions: TransactionRunner,
    private readonly definitions: DefinitionsService,
    private readonly runs: RunsService,
  ) {}

  onModuleInit(): void {
    this.relay.register(OutboxChannel.Event, (message) => this.dispatch(message));
  }

  async dispatch(message: OutboxMessage): Promise<void> {
    const { subject, data } = message.payload as {
      subject: RunSubject;
      data: Record<string, unknown>;
    };
    await this.transactions.run(async (tx) => {
      for (const definition of await this.definitions.triggeredBy(message.topic, tx)) {
        const when = definition.trigger?.when;
        if (when && !isTruthy(evaluateExpression(parseExpression(when), { subject, data })))
          continue;
        await this.runs.startForEvent(
          tx,
          definition,
          { subject, context: { ...data } },
          message.id,
        );
      }
    });
  }
}
