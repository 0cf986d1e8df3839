import type { Finding, GuardReport } from './finding.js';
import { formatSummary } from './report.js';
import { RULES, type RuleId } from './rule-definitions.js';

/**
 * The --verify text report: one line per statement with findings, static and dynamic merged
 * (`file:line [phase] <sql> — rule severity[, ...] — what each rule saw`), then each rule's why
 * and recipe once, the notes, and the summary.
 */
export function formatVerifiedText(report: GuardReport): string {
  const lines = groupByStatement(report.findings).map(formatStatement);
  const rules = [...new Set(report.findings.map((finding) => finding.rule))];
  return (
    [
      ...lines,
      ...rules.map((rule) => `  ${rule}: ${RULES[rule].why} — ${RULES[rule].recipe}`),
      ...report.notes.map((note) => `note: ${note}`),
      formatSummary(report),
    ].join('\n') + '\n'
  );
}

function groupByStatement(findings: Finding[]): Finding[][] {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = [finding.file, finding.line, finding.phase ?? '', finding.sql ?? ''].join('\u0000');
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  return [...groups.values()];
}

function formatStatement(group: Finding[]): string {
  const [first] = group as [Finding, ...Finding[]];
  const phase = first.phase ? ` [${first.phase}]` : '';
  const sql = first.sql === undefined ? '' : ` ${shorten(first.sql)}`;
  const rules = group.map((finding) => ruleLabel(finding.rule, finding)).join(', ');
  const seen = group.map((finding) => finding.message).join('; ');
  return `${first.file}:${first.line}${phase}${sql} — ${rules} — ${seen}`;
}

function ruleLabel(rule: RuleId, finding: Finding): string {
  const status = finding.acknowledged ? ` (acknowledged: ${finding.ackReason ?? ''})` : '';
  return `${rule} ${finding.severity}${status}`;
}

function shorten(sql: string): string {
  const oneLine = sql.replace(/\s+/g, ' ').trim();
  return oneLine.length > 100 ? `${oneLine.slice(0, 97)}...` : oneLine;
}
