import { setTimeout as sleep } from 'node:timers/promises';
import { nextSlotWindow } from './slots.js';
import type { TestApp } from './test-app.js';

/** One answer the load got. */
export interface LoadAnswer {
  /** The HTTP status, or 0 when there was no answer at all (the API is down or gone). */
  status: number;
  retryAfter?: string;
  /** performance.now() when the request was sent */
  sentAt: number;
  /** performance.now() when the answer came */
  at: number;
}

export interface Booking {
  slotId: string;
  studentId: string;
}

/** A user the load acts as. */
export interface LoadUser {
  id: string;
  token: string;
}

export const LOAD_SLOT_PRICE = 2;
/** How long a client waits before retrying a 503 or a missing answer (Retry-After, shortened). */
const RETRY_PAUSE_MS = 50;

/**
 * Clients moving tokens through the HTTP API until `stop()`: allotments requested and approved
 * (credits), and slots raced for by two students at once, every other booking then cancelled and
 * the cancellation approved by the mentor (a debit, then a refund). It records every answer and
 * what was acknowledged, for the caller to look for in the database.
 */
export class MoneyLoad {
  readonly answers: LoadAnswer[] = [];
  /** Allotment requests whose approval answered 200. */
  readonly approvedAllotments: string[] = [];
  /** Bookings that answered 200. */
  readonly bookings: Booking[] = [];
  /** Slots whose cancellation approval answered 200. */
  readonly cancellations: string[] = [];
  private stopped = false;
  /** Per mentor, the slot being made for the next two students. */
  private readonly contested = new Map<string, Promise<string | undefined>>();

  constructor(private readonly http: TestApp['http']) {}

  stop(): void {
    this.stopped = true;
  }

  /** Credits each of `userIds` in turn: an allotment request, then its approval by the admin. */
  async credit(adminToken: string, userIds: string[], tokens = 1): Promise<void> {
    for (let n = 0; !this.stopped; n++) {
      const userId = userIds[n % userIds.length];
      const created = await this.post(adminToken, '/api/finance/allotments', {
        userId,
        tokens,
        reason: 'load',
      });
      if (created.status !== 201) continue;
      const { id } = created.body as { id: string };
      const approval = await this.postUntilAnswered(
        adminToken,
        `/api/finance/allotments/${id}/approve`,
      );
      if (approval.status === 200) this.approvedAllotments.push(id);
    }
  }

  /**
   * Books slots of `mentor`, each raced for by two `book` clients; every other booking won is
   * cancelled by the student and the cancellation approved by the mentor.
   */
  async book(student: LoadUser, mentor: LoadUser): Promise<void> {
    let keep = false;
    while (!this.stopped) {
      const slotId = await this.contestedSlot(mentor);
      if (!slotId) return;
      const slot = `/api/mentorship/slots/${slotId}`;
      const booked = await this.postUntilAnswered(student.token, `${slot}/book`);
      if (booked.status !== 200) continue;
      this.bookings.push({ slotId, studentId: student.id });
      keep = !keep;
      if (keep) continue;
      const asked = await this.postUntilAnswered(student.token, `${slot}/cancel`);
      // A 409 after a 503 may mean the refused attempt went through: the approval will tell.
      if (asked.status !== 200 && asked.status !== 409) continue;
      const approved = await this.postUntilAnswered(mentor.token, `${slot}/cancel/approve`);
      if (approved.status === 200) this.cancellations.push(slotId);
    }
  }

  /** Every second caller gets a new slot of `mentor`; the caller after it gets the same one. */
  private contestedSlot(mentor: LoadUser): Promise<string | undefined> {
    const waiting = this.contested.get(mentor.id);
    if (waiting) {
      this.contested.delete(mentor.id);
      return waiting;
    }
    const created = this.createSlot(mentor);
    this.contested.set(mentor.id, created);
    return created;
  }

  /** A new tentative slot, or undefined when the load stopped or creating it failed for good. */
  private async createSlot(mentor: LoadUser): Promise<string | undefined> {
    const created = await this.postUntilAnswered(mentor.token, '/api/mentorship/slots', {
      ...nextSlotWindow(),
      priceTokens: LOAD_SLOT_PRICE,
    });
    return created.status === 201 ? (created.body as { id: string }).id : undefined;
  }

  /** Posts again while the answer is a 503 or missing (a retry may find the first went through). */
  private async postUntilAnswered(
    token: string,
    path: string,
    body?: object,
  ): Promise<{ status: number; body: unknown }> {
    for (;;) {
      const answer = await this.post(token, path, body);
      if ((answer.status !== 503 && answer.status !== 0) || this.stopped) return answer;
    }
  }

  private async post(
    token: string,
    path: string,
    body?: object,
  ): Promise<{ status: number; body: unknown }> {
    let answer: { status: number; body: unknown; retryAfter?: string } = {
      status: 0,
      body: undefined,
    };
    const sentAt = performance.now();
    try {
      const request = this.http().post(path).set('Authorization', `Bearer ${token}`);
      const response = await (body ? request.send(body) : request);
      answer = {
        status: response.status,
        body: response.body,
        retryAfter: response.get('Retry-After'),
      };
    } catch {
      // no answer: the API is down or gone
    }
    this.answers.push({
      status: answer.status,
      retryAfter: answer.retryAfter,
      sentAt,
      at: performance.now(),
    });
    if (answer.status === 503 || answer.status === 0) await sleep(RETRY_PAUSE_MS);
    return answer;
  }
}
