import { RULES, type RuleId, type Severity } from './rule-definitions.js';

export type Phase = 'up' | 'down';

/** A rule hit before it is tied to a file: which rule, and what exactly it saw. */
export interface RuleHit {
  rule: RuleId;
  message: string;
}

/** A rule hit located in a migration file (line = the queryRunner call, 1-based). */
export interface LocatedHit extends RuleHit {
  line: number;
  phase?: Phase;
  /** The SQL statement the hit is about, when there is one. */
  sql?: string;
}

export interface Finding {
  file: string;
  line: number;
  rule: RuleId;
  severity: Severity;
  message: string;
  why: string;
  recipe: string;
  phase?: Phase;
  sql?: string;
  acknowledged: boolean;
  ackReason?: string;
}

export interface FileReport {
  file: string;
  findings: Finding[];
}

export interface GuardReport {
  fileCount: number;
  findings: Finding[];
  /** Unacknowledged findings with severity block: any of them fails the run. */
  blocking: number;
  /** Unacknowledged findings with severity warn. */
  warnings: number;
  acknowledged: number;
  durationMs: number;
  passed: boolean;
  /** True when --verify ran the migrations on a scratch database. */
  verified: boolean;
  /** Remarks of --verify (tables it could not fill, SQL it could not see); never failures. */
  notes: string[];
}

export function toFinding(file: string, hit: LocatedHit): Finding {
  const rule = RULES[hit.rule];
  return {
    file,
    line: hit.line,
    rule: hit.rule,
    severity: rule.severity,
    message: hit.message,
    why: rule.why,
    recipe: rule.recipe,
    ...(hit.phase === undefined ? {} : { phase: hit.phase }),
    ...(hit.sql === undefined ? {} : { sql: hit.sql }),
    acknowledged: false,
  };
}

export function summarize(
  fileCount: number,
  findings: Finding[],
  durationMs: number,
  verification: Pick<GuardReport, 'verified' | 'notes'> = { verified: false, notes: [] },
): GuardReport {
  const open = findings.filter((finding) => !finding.acknowledged);
  const blocking = open.filter((finding) => finding.severity === 'block').length;
  return {
    fileCount,
    findings,
    blocking,
    warnings: open.length - blocking,
    acknowledged: findings.length - open.length,
    durationMs,
    passed: blocking === 0,
    ...verification,
  };
}
