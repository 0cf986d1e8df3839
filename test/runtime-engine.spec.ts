import { readFileSync } from 'node:fs';

/**
 * The suite runs on the Node the project declares (and installs for itself, see the README's
 * "Node runtime"), not on whatever Node happens to run npm.
 */
const { engines } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { engines: { node: string } };

function parseRange(range: string): { major: number; minor: number; belowMajor: number } {
  const match = /^>=(\d+)\.(\d+) <(\d+)$/.exec(range);
  if (!match) throw new Error(`engines.node "${range}" is not of the form ">=A.B <C"`);
  const [major, minor, belowMajor] = match.slice(1).map(Number);
  return { major, minor, belowMajor };
}

describe('runtime', () => {
  it('is the Node version package.json declares', () => {
    const declared = parseRange(engines.node);
    const [major, minor] = process.versions.node.split('.').map(Number);
    const atLeastMinimum =
      major > declared.major || (major === declared.major && minor >= declared.minor);
    expect({ node: process.versions.node, atLeastMinimum }).toEqual({
      node: process.versions.node,
      atLeastMinimum: true,
    });
    expect(major).toBeLessThan(declared.belowMajor);
  });
});
