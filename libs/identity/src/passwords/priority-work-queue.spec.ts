import { PriorityWorkQueue, QueueFullError } from './priority-work-queue.js';

type Lane = 'login' | 'signup';

/** A task the test finishes by hand, recording when it started. */
function manualTask(started: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    run: async () => {
      started.push(name);
      await done;
      return name;
    },
    finish: () => finish(),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('PriorityWorkQueue', () => {
  const queueOf = (concurrency: number, queueMax: number) =>
    new PriorityWorkQueue<Lane>(concurrency, queueMax, [
      { name: 'login', maxRunning: concurrency },
      { name: 'signup', maxRunning: Math.max(1, concurrency - 1) },
    ]);

  it('keeps one slot for logins however many signups wait, and refuses beyond the queue', async () => {
    const queue = queueOf(2, 2);
    const started: string[] = [];
    const signups = [1, 2, 3, 4].map((i) => manualTask(started, `signup-${i}`));
    const running = signups.slice(0, 3).map((task) => queue.run('signup', task.run));
    const refused = queue.run('signup', signups[3].run);
    await expect(refused).rejects.toBeInstanceOf(QueueFullError);
    await tick();
    expect(started).toEqual(['signup-1']);

    const login = manualTask(started, 'login');
    const loginResult = queue.run('login', login.run);
    await tick();
    expect(started).toEqual(['signup-1', 'login']);

    login.finish();
    await expect(loginResult).resolves.toBe('login');
    signups[0].finish();
    await tick();
    expect(started).toEqual(['signup-1', 'login', 'signup-2']);
    signups[1].finish();
    signups[2].finish();
    await expect(Promise.all(running)).resolves.toEqual(['signup-1', 'signup-2', 'signup-3']);
  });

  it('gives a freed slot to a waiting login before a waiting signup', async () => {
    const queue = queueOf(1, 5);
    const started: string[] = [];
    const first = manualTask(started, 'signup-1');
    const second = manualTask(started, 'signup-2');
    const login = manualTask(started, 'login');
    const results = [queue.run('signup', first.run), queue.run('signup', second.run)];
    await tick();
    results.push(queue.run('login', login.run));
    first.finish();
    await tick();
    expect(started).toEqual(['signup-1', 'login']);
    login.finish();
    await tick();
    second.finish();
    await expect(Promise.all(results)).resolves.toEqual(['signup-1', 'signup-2', 'login']);
  });

  it('frees the slot when a task fails', async () => {
    const queue = queueOf(1, 0);
    await expect(queue.run('login', () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    await expect(queue.run('login', () => Promise.resolve('next'))).resolves.toBe('next');
  });
});
