import type { CallSpan, SourceComment } from './extract-sql.js';
import { toFinding, type Finding } from './finding.js';
import { isRuleId, RULES, type RuleId } from './rule-definitions.js';

/** `// migration-guard allow <rule-id>[, <rule-id>...]: <reason>` */
const DIRECTIVE = /^migration-guard\s+allow\b(?<rest>.*)$/s;

interface Acknowledgement {
  line: number;
  ruleIds: string[];
  reason: string;
  /** The queryRunner call on the next line, or on whose lines the comment sits. */
  target: CallSpan | undefined;
}

/**
 * Marks findings waived by an acknowledgement comment and adds findings about the
 * acknowledgements themselves (missing reason, unknown rule, matches nothing).
 */
export function applyAcknowledgements(
  file: string,
  findings: Finding[],
  comments: SourceComment[],
  callSpans: CallSpan[],
  /** Without --verify, an acknowledgement of a dynamic rule has nothing to match yet. */
  { verified }: { verified: boolean } = { verified: true },
): Finding[] {
  const ackFindings: Finding[] = [];
  const report = (rule: RuleId, line: number, message: string): void => {
    ackFindings.push(toFinding(file, { rule, line, message }));
  };

  for (const ack of parseAcknowledgements(comments, callSpans)) {
    const unknown = ack.ruleIds.filter((id) => !isAcknowledgeable(id));
    if (ack.ruleIds.length === 0) report('ack-unknown-rule', ack.line, 'no rule id after "allow"');
    for (const id of unknown)
      report('ack-unknown-rule', ack.line, `'${id}' is not an acknowledgeable rule id`);
    if (ack.reason === '') {
      report(
        'ack-missing-reason',
        ack.line,
        `no reason given for ${ack.ruleIds.join(', ') || 'the acknowledgement'}`,
      );
      continue;
    }
    for (const id of ack.ruleIds.filter(isAcknowledgeable)) {
      const matching = findings.filter(
        (finding) => finding.rule === id && ack.target && finding.line === ack.target.line,
      );
      for (const finding of matching) {
        finding.acknowledged = true;
        finding.ackReason = ack.reason;
      }
      if (matching.length === 0 && (verified || !isDynamicRule(id))) {
        const where = ack.target ? `the call on line ${ack.target.line}` : 'any queryRunner call';
        report('ack-unused', ack.line, `allow ${id}: no such finding on ${where}`);
      }
    }
  }
  return [...findings, ...ackFindings];
}

function isDynamicRule(id: string): boolean {
  return isRuleId(id) && 'verifyOnly' in RULES[id];
}

function isAcknowledgeable(id: string): boolean {
  return isRuleId(id) && !('acknowledgeable' in RULES[id]);
}

function parseAcknowledgements(
  comments: SourceComment[],
  callSpans: CallSpan[],
): Acknowledgement[] {
  return comments.flatMap((comment) => {
    const rest = DIRECTIVE.exec(comment.text)?.groups?.rest;
    if (rest === undefined) return [];
    const separator = rest.indexOf(':');
    const ids = separator === -1 ? rest : rest.slice(0, separator);
    return [
      {
        line: comment.line,
        ruleIds: ids.split(/[\s,]+/).filter((id) => id !== ''),
        reason: separator === -1 ? '' : rest.slice(separator + 1).trim(),
        target:
          callSpans.find((span) => comment.line >= span.line && comment.line <= span.endLine) ??
          callSpans.find((span) => span.line === comment.endLine + 1),
      },
    ];
  });
}
