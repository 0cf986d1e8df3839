import type { Finding, GuardReport } from './finding.js';
import { RULE_IDS, RULES } from './rule-definitions.js';

/** `file:line rule severity — what: why — safe recipe` */
export function formatFinding(finding: Finding): string {
  const status = finding.acknowledged ? ` (acknowledged: ${finding.ackReason ?? ''})` : '';
  const phase = finding.phase ? ` [${finding.phase}]` : '';
  return (
    `${finding.file}:${finding.line} ${finding.rule} ${finding.severity}${status} — ` +
    `${finding.message}${phase}: ${finding.why} — ${finding.recipe}`
  );
}

export function formatSummary(report: GuardReport): string {
  const plural = (count: number, noun: string): string =>
    `${count} ${noun}${count === 1 ? '' : 's'}`;
  return (
    `migration-guard: ${plural(report.fileCount, 'file')}, ${report.blocking} blocking, ` +
    `${plural(report.warnings, 'warning')}, ${report.acknowledged} acknowledged (${report.durationMs} ms)`
  );
}

export function formatText(report: GuardReport): string {
  return [...report.findings.map(formatFinding), formatSummary(report)].join('\n') + '\n';
}

export function formatJson(report: GuardReport): string {
  const { findings, ...summary } = report;
  return JSON.stringify({ summary, findings }, null, 2) + '\n';
}

/** The rule index table of docs/migrations.md (`cli.js --rules-markdown` prints it). */
export function renderRuleIndex(): string {
  const cell = (text: string): string => text.replaceAll('|', '\\|');
  const rows = RULE_IDS.map((id) => {
    const rule = RULES[id];
    return `| \`${id}\` | ${rule.severity} | ${cell(rule.why)} | ${cell(rule.recipe)} |`;
  });
  return (
    ['| Rule | Severity | Why | Safe recipe |', '| --- | --- | --- | --- |', ...rows].join('\n') +
    '\n'
  );
}
