import { readFile } from 'node:fs/promises';
import { RULE_IDS, RULES } from './rule-definitions.js';

/** Rows of the rule index table in docs/migrations.md (between the rule-index markers). */
async function documentedRules(): Promise<string[][]> {
  const doc = await readFile(new URL('../../../../docs/migrations.md', import.meta.url), 'utf8');
  const start = doc.indexOf('<!-- rule-index:start -->');
  const end = doc.indexOf('<!-- rule-index:end -->');
  expect(start).toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(start);
  return doc
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replaceAll('\\|', '|')),
    );
}

describe('docs/migrations.md rule index', () => {
  it('lists every rule with the severity, why and recipe of rule-definitions.ts', async () => {
    const expected = RULE_IDS.map((id) => [
      `\`${id}\``,
      RULES[id].severity,
      RULES[id].why,
      RULES[id].recipe,
    ]);
    expect(await documentedRules()).toEqual(expected);
  });
});
