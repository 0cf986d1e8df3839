import { Agent, request } from 'node:http';

export interface BurstAnswer {
  status: number;
  retryAfter: string | undefined;
  body: string;
  ms: number;
  /** performance.now() when the answer was complete. */
  at: number;
}

export interface BurstFigures {
  requests: number;
  statuses: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Fires `count` GET requests at once, each on its own socket, and waits for every answer;
 * `onAnswer` sees each one as it arrives.
 */
export async function burst(
  url: string,
  count: number,
  headers: Record<string, string> = {},
  onAnswer: (answer: BurstAnswer) => void = () => undefined,
): Promise<BurstAnswer[]> {
  const agent = new Agent({ keepAlive: false, maxSockets: count });
  try {
    return await Promise.all(
      Array.from({ length: count }, () =>
        get(url, headers, agent).then((answer) => {
          onAnswer(answer);
          return answer;
        }),
      ),
    );
  } finally {
    agent.destroy();
  }
}

function get(url: string, headers: Record<string, string>, agent: Agent): Promise<BurstAnswer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { headers, agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          retryAfter: response.headers['retry-after'],
          body,
          ms: performance.now() - started,
          at: performance.now(),
        }),
      );
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

export function figuresOf(answers: BurstAnswer[]): BurstFigures {
  const times = answers.map((answer) => answer.ms).sort((a, b) => a - b);
  const at = (fraction: number) =>
    Math.round(times[Math.min(times.length - 1, Math.ceil(fraction * times.length) - 1)]);
  const statuses: Record<string, number> = {};
  for (const { status } of answers) statuses[status] = (statuses[status] ?? 0) + 1;
  return {
    requests: answers.length,
    statuses,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: Math.round(times[times.length - 1]),
  };
}
