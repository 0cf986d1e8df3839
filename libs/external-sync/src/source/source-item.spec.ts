import { SOURCE_DEFINITIONS } from './resource-definitions.js';
import { InvalidSourceItemError, parseSourceItem } from './source-item.js';

const [, enrollments] = SOURCE_DEFINITIONS.mrlearn.resources;
const [, attempts] = SOURCE_DEFINITIONS.mrtest.resources;
const enrollment = {
  id: 'E1',
  learner_id: 'L1',
  course_code: 'MAS-101',
  status: 'active',
  progress: 40,
  updated_at: '2026-02-01T10:00:00.123Z',
};

describe('parseSourceItem', () => {
  it('reads the fields in the resource’s column order', () => {
    expect(parseSourceItem(enrollments, enrollment)).toEqual({
      id: 'E1',
      updatedAt: new Date('2026-02-01T10:00:00.123Z'),
      deleted: false,
      values: ['L1', 'MAS-101', 'active', 40],
    });
  });

  it('an integer id becomes text; decimals and timestamps are normalised', () => {
    const attempt = parseSourceItem(attempts, {
      id: 17,
      assessment_id: 'A1',
      learner_email: 'Ann@Example.com',
      score: 87.5,
      submitted_at: '2026-02-01T11:00:00+01:00',
      updated_at: '2026-02-01T10:00:00Z',
    });
    expect(attempt.id).toBe('17');
    expect(attempt.values).toEqual(['A1', 'Ann@Example.com', '87.5', '2026-02-01T10:00:00.000Z']);
  });

  it('a deleted item needs only its id and updated_at', () => {
    expect(
      parseSourceItem(enrollments, { id: 'E1', updated_at: enrollment.updated_at, deleted: true }),
    ).toMatchObject({ id: 'E1', deleted: true, values: [] });
  });

  it.each([
    [{ ...enrollment, progress: 101 }, 'enrollments E1: progress must be an integer from 0 to 100'],
    [{ ...enrollment, progress: 4.5 }, 'enrollments E1: progress must be an integer from 0 to 100'],
    [{ ...enrollment, status: undefined }, 'enrollments E1: status must be a string'],
    [
      { ...enrollment, updated_at: 'yesterday' },
      'enrollments E1: updated_at must be an ISO-8601 timestamp',
    ],
    [{ ...enrollment, deleted: 'yes' }, 'enrollments E1: deleted must be a boolean'],
    [{ ...enrollment, id: '' }, 'enrollments: an item has no valid id'],
    ['E1', 'enrollments: an item is not an object'],
  ])('refuses %j: %s', (raw, message) => {
    const refusal = (() => {
      try {
        parseSourceItem(enrollments, raw);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(InvalidSourceItemError);
    expect((refusal as Error).message).toBe(message);
  });

  it('refuses a score with more than 2 decimals rather than rounding it', () => {
    expect(() =>
      parseSourceItem(attempts, {
        id: 'T1',
        assessment_id: 'A1',
        learner_email: 'a@b.c',
        score: 0.1 + 0.2,
        submitted_at: enrollment.updated_at,
        updated_at: enrollment.updated_at,
      }),
    ).toThrow('T1: score must be a number with at most 10 digits and 2 decimals');
  });
});
