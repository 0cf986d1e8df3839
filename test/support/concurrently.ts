/** Runs `calls` at once and splits their outcomes: what succeeded, and why the rest failed. */
export async function concurrently<T>(
  calls: (() => Promise<T>)[],
): Promise<{ fulfilled: T[]; rejected: unknown[] }> {
  const results = await Promise.allSettled(calls.map((call) => call()));
  return {
    fulfilled: results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : [])),
    rejected: results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : [])),
  };
}
