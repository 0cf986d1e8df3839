import { type ActionCatalog, validateDefinition } from './validate-definition.js';

const actions: ActionCatalog = {
  has: (name) => name === 'test.act',
  checkParams: (_name, params) => (params.level === 'bad' ? ['level must not be bad'] : []),
};

const valid = {
  start: 'act',
  steps: {
    act: {
      type: 'action',
      action: 'test.act',
      retry: { maxAttempts: 2, backoffMs: 10 },
      next: 'ask',
    },
    ask: {
      type: 'wait_for_signal',
      event: 'answered',
      timeoutMs: 1000,
      onTimeout: 'act',
      payloadCondition: 'payload.ok == true',
      next: 'route',
    },
    route: {
      type: 'branch',
      branches: [{ when: 'signals.answered.ok', next: 'done' }],
      otherwise: 'pause',
    },
    pause: { type: 'wait', durationMs: 5, next: 'done' },
    done: { type: 'end' },
  },
};

describe('validateDefinition', () => {
  it('accepts a definition using every step type, loops included', () => {
    expect(
      validateDefinition(valid, { event: 'thing.created', when: 'data.x > 1' }, actions),
    ).toEqual([]);
  });

  it('names each problem by its path', () => {
    const problems = validateDefinition(
      {
        start: 'missing',
        extra: true,
        steps: {
          'Bad-Key': { type: 'end' },
          act: {
            type: 'action',
            action: 'test.act',
            params: { level: 'bad' },
            retry: { maxAttempts: 0, backoffMs: -1 },
            next: 'done',
            colour: 'red',
          },
          ask: { type: 'wait_for_signal', event: 'answered', timeoutMs: 10, next: 'done' },
          done: { type: 'end', next: 'act' },
        },
      },
      { event: 'x', extra: 1 },
      actions,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'trigger.extra', message: 'unknown field' },
        { field: 'config.steps.Bad-Key', message: expect.stringContaining('step keys') },
        { field: 'config.steps.act.colour', message: 'not a field of action steps' },
        { field: 'config.steps.act.params', message: 'level must not be bad' },
        { field: 'config.steps.act.retry.maxAttempts', message: expect.any(String) },
        { field: 'config.steps.act.retry.backoffMs', message: expect.any(String) },
        { field: 'config.steps.ask', message: 'timeoutMs and onTimeout go together' },
        { field: 'config.steps.done.next', message: 'not a field of end steps' },
        { field: 'config.start', message: 'must name one of the steps' },
        { field: 'config.extra', message: 'unknown field' },
      ]),
    );
  });

  it('checks the graph only once the steps themselves are valid', () => {
    const dangling = validateDefinition(
      {
        start: 'a',
        steps: {
          a: { type: 'branch', branches: [{ when: 'x', next: 'b' }], otherwise: 'done' },
          done: { type: 'end' },
        },
      },
      undefined,
      actions,
    );
    expect(dangling).toEqual([
      { field: 'config.steps.a', message: 'transition to "b", which is not a step' },
    ]);
  });

  it('refuses configs that are not objects, and empty step maps', () => {
    expect(validateDefinition('steps', null, actions)).toEqual([
      { field: 'config', message: 'must be an object with start and steps' },
    ]);
    expect(validateDefinition({ start: 'a', steps: {} }, null, actions)).toEqual([
      { field: 'config.steps', message: 'must be an object with at least one step' },
    ]);
  });
});
