export { Catalog } from './catalog.js';
export type { ColumnInfo, ConstraintInfo, TableInfo } from './catalog.js';
export type { ColumnType } from './column-types.js';
export type { FileReport, Finding, GuardReport, Phase } from './finding.js';
export { catalogFromSources, lintMigrations, lintSource } from './lint.js';
export type { LintOptions, MigrationSource } from './lint.js';
export { formatFinding, formatJson, formatSummary, formatText, renderRuleIndex } from './report.js';
export { isRuleId, RULE_IDS, RULES } from './rule-definitions.js';
export type { RuleDefinition, RuleId, Severity } from './rule-definitions.js';
