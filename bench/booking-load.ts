/**
 * The HTTP half of bench/booking.ts, run in a worker thread so that the load generator does not
 * share the event loop of the app it measures.
 */
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

export interface LoadJob {
  url: string;
  slotIds: string[];
  /** The first slot this run may book; the run reports the next unused one. */
  firstSlot: number;
  tokens: string[];
  connections: number;
  warmupSeconds: number;
  seconds: number;
}

/** One measured run, HTTP or raw: every attempt's latency, failures counted by reason. */
export interface RunResult {
  seconds: number;
  bookings: number;
  latencies: number[];
  failures: Record<string, number>;
  samples: string[];
  /** HTTP runs: the first slot left unused, where the next run starts. */
  nextSlot?: number;
}

const job = workerData as LoadJob;
let next = job.firstSlot;

function run(seconds: number): Promise<RunResult> {
  const result: RunResult = { seconds: 0, bookings: 0, latencies: [], failures: {}, samples: [] };
  const fail = (reason: string) => (result.failures[reason] = (result.failures[reason] ?? 0) + 1);
  // Each client builds its next request before it knows the run is over: keep that many spare.
  const remaining = job.slotIds.length - next - 2 * job.connections;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.url,
        connections: job.connections,
        duration: seconds,
        maxOverallRequests: Math.max(remaining, job.connections),
        requests: [
          {
            method: 'POST',
            // A fresh slot per request; students round-robin, as in the raw run.
            setupRequest: (request) => {
              const index = next++;
              return {
                ...request,
                path: `/api/mentorship/slots/${job.slotIds[index % job.slotIds.length]}/book`,
                headers: { authorization: `Bearer ${job.tokens[index % job.tokens.length]}` },
              };
            },
            onResponse: (status, body) => {
              if (status !== 200 && result.samples.length < 5)
                result.samples.push(`${status} ${body}`);
            },
          },
        ],
      },
      (error: Error | null, summary) => {
        if (error) return reject(error);
        if (summary.timeouts) result.failures.timeout = summary.timeouts;
        if (summary.errors > summary.timeouts)
          result.failures['connection error'] = summary.errors - summary.timeouts;
        resolve({ ...result, seconds: summary.duration });
      },
    );
    instance.on('response', (_client, status: number, _bytes, latency: number) => {
      result.latencies.push(latency);
      if (status === 200) result.bookings++;
      else fail(`HTTP ${status}`);
    });
  });
}

if (job.warmupSeconds) await run(job.warmupSeconds);
parentPort?.postMessage({ ...(await run(job.seconds)), nextSlot: next });
