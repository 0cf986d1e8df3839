import { type PlatformRecord } from './fake-partner-platform.js';

const EPOCH = Date.parse('2026-01-01T00:00:00.000Z');

/** A platform timestamp `seconds` after a fixed epoch, so fixtures are the same on every run. */
export function platformTime(seconds: number): string {
  return new Date(EPOCH + seconds * 1000).toISOString();
}

/** `count` records numbered from `from`: record(n) for each n. */
function numbered(
  count: number,
  from: number,
  record: (n: number) => PlatformRecord,
): PlatformRecord[] {
  return Array.from({ length: count }, (_, i) => record(from + i));
}

/** Learners `L<n>` (n from `from`), `learner<n>@partner.test`, changed one per second. */
export function learners(
  count: number,
  from = 1,
  at = (n: number) => platformTime(n),
): PlatformRecord[] {
  return numbered(count, from, (n) => ({
    id: `L${n}`,
    email: `learner${n}@partner.test`,
    name: `Learner ${n}`,
    updated_at: at(n),
  }));
}

/** Enrollment `E<n>` of learner `L<n>` in course `C<n % 3>`, progress n % 101. */
export function enrollments(
  count: number,
  from = 1,
  at = (n: number) => platformTime(n),
): PlatformRecord[] {
  return numbered(count, from, (n) => ({
    id: `E${n}`,
    learner_id: `L${n}`,
    course_code: `C${n % 3}`,
    status: n % 5 === 0 ? 'completed' : 'active',
    progress: n % 101,
    updated_at: at(n),
    deleted: false,
  }));
}

export function assessments(count: number, from = 1): PlatformRecord[] {
  return numbered(count, from, (n) => ({
    id: `A${n}`,
    title: `Assessment ${n}`,
    max_score: 100,
    updated_at: platformTime(n),
  }));
}

/** Attempt `T<n>` at assessment `A<n % 4 + 1>` by `learner<n>@partner.test`. */
export function attempts(count: number, from = 1): PlatformRecord[] {
  return numbered(count, from, (n) => ({
    id: `T${n}`,
    assessment_id: `A${(n % 4) + 1}`,
    learner_email: `learner${n}@partner.test`,
    score: (n % 100) + 0.5,
    submitted_at: platformTime(n),
    updated_at: platformTime(n),
  }));
}
