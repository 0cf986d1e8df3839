import { Coalesced, type TransactionRunner } from '@mas/persistence';
import { type Slot } from '../entities/slot.entity.js';
import { readSlots } from './slot-rows.js';
import { type TakeAction, type TakeOutcome, type Taking, takeSlots } from './slot-taking.js';

/**
 * Takes slots for concurrent requests together. The reads that start within one turn of the event
 * loop share one query, and the takings share one statement per action (takeSlots). A statement
 * never names a slot or a student twice: such takings go into statements of their own, which run
 * side by side like any two requests. Each caller still gets only its own outcome.
 */
export class SlotTaker {
  private readonly reads: Coalesced<string, Slot | null>;
  private readonly takings: Record<TakeAction, Coalesced<Taking, Slot | 'changed'>>;

  constructor(private readonly transactions: TransactionRunner) {
    const manager = transactions.manager();
    this.reads = new Coalesced((ids) => readSlots(manager, ids));
    this.takings = {
      book: new Coalesced((takings) => this.takeAll('book', takings)),
      request: new Coalesced((takings) => this.takeAll('request', takings)),
    };
  }

  /** The slot as committed now, unlocked; null when there is none. */
  read(slotId: string): Promise<Slot | null> {
    return this.reads.add(slotId);
  }

  /** The taken slot, or 'changed' (read it again); rejects with the taking's refusal. */
  take(action: TakeAction, taking: Taking): Promise<Slot | 'changed'> {
    return this.takings[action].add(taking);
  }

  private async takeAll(action: TakeAction, takings: Taking[]): Promise<TakeOutcome[]> {
    const outcomes: TakeOutcome[] = [];
    await Promise.all(
      disjointGroups(takings).map(async (group) => {
        const results = await this.takeGroup(
          action,
          group.map((index) => takings[index]),
        );
        group.forEach((index, k) => (outcomes[index] = results[k]));
      }),
    );
    return outcomes;
  }

  /**
   * One statement for the group. A data or integrity error (SQLSTATE class 22 or 23) that one
   * taking may have caused fails the whole statement: then each taking is tried alone, so only the
   * one at fault gets it. Any other error (the database unreachable, say) is every taking's.
   */
  private async takeGroup(action: TakeAction, takings: Taking[]): Promise<TakeOutcome[]> {
    try {
      return await this.transactions.statement((manager) => takeSlots(manager, action, takings));
    } catch (error) {
      if (takings.length > 1 && causedByData(error))
        return (
          await Promise.all(takings.map((taking) => this.takeGroup(action, [taking])))
        ).flat();
      return takings.map(() => error as Error);
    }
  }
}

/**
 * At most this many takings share a statement, which holds all their slot locks until it commits:
 * a burst of requests becomes several statements side by side rather than one long one.
 */
const MAX_TAKINGS_PER_STATEMENT = 50;

/**
 * The indexes of `takings`, in groups of at most MAX_TAKINGS_PER_STATEMENT that name each slot and
 * each student at most once.
 */
function disjointGroups(takings: Taking[]): number[][] {
  const groups: { indexes: number[]; names: Set<string> }[] = [];
  takings.forEach(({ read, taken }, index) => {
    const names = [`slot:${read.id}`, `student:${taken.studentId}`];
    let group = groups.find(
      (candidate) =>
        candidate.indexes.length < MAX_TAKINGS_PER_STATEMENT &&
        !names.some((name) => candidate.names.has(name)),
    );
    if (!group) groups.push((group = { indexes: [], names: new Set() }));
    group.indexes.push(index);
    names.forEach((name) => group.names.add(name));
  });
  return groups.map((group) => group.indexes);
}

function causedByData(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}
