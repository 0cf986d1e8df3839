/**
 * The HTTP half of bench/booking.ts, run in a worker thread so that the load generator does not
 * share the event loop of the app it measures.
 */
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

export interface LoadJob {
  /** One or more API processes; the connections are shared out among them. */
  urls: string[];
  slotIds: string[];
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
}

const job = workerData as LoadJob;
let next = 0;

/** The connections spread over every URL at once; one result for them all. */
async function run(seconds: number): Promise<RunResult> {
  const result: RunResult = { seconds: 0, bookings: 0, latencies: [], failures: {}, samples: [] };
  // Each client builds its next request before it knows the run is over: keep that many spare.
  const remaining = job.slotIds.length - next - 2 * job.connections;
  const share = job.connections / job.urls.length;
  const durations = await Promise.all(
    job.urls.map((url) =>
      runOne(url, share, seconds, Math.max(remaining / job.urls.length, share), result),
    ),
  );
  return { ...result, seconds: Math.max(...durations) };
}

function runOne(
  url: string,
  connections: number,
  seconds: number,
  maxRequests: number,
  result: RunResult,
): Promise<number> {
  const fail = (reason: string) => (result.failures[reason] = (result.failures[reason] ?? 0) + 1);
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        maxOverallRequests: Math.floor(maxRequests),
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
        if (summary.timeouts)
          result.failures.timeout = (result.failures.timeout ?? 0) + summary.timeouts;
        if (summary.errors > summary.timeouts)
          result.failures['connection error'] =
            (result.failures['connection error'] ?? 0) + summary.errors - summary.timeouts;
        resolve(summary.duration);
      },
    );
    instance.on('response', (_client, status: number, _bytes, latency: number) => {
      result.latencies.push(latency);
      if (status === 200) result.bookings++;
      else fail(`HTTP ${status}`);
    });
  });
}

await run(job.warmupSeconds);
parentPort?.postMessage(await run(job.seconds));
