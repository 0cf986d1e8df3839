import type { DemoLogin } from '@mas/identity';

const HEADER = ['email', 'password', 'role', 'account'];

/**
 * What `db:seed` ends with: the demo logins as a table (`existedBefore`: emails that were there
 * before the seed ran), the admin's login and where to go next.
 */
export function demoLoginsText(
  logins: DemoLogin[],
  existedBefore: ReadonlySet<string>,
  next: { apiUrl: string; adminLogin: string },
): string {
  const rows = logins.map((login) => [
    login.email,
    login.password ?? '(changed since the seed)',
    login.role,
    [existedBefore.has(login.email) ? 'existed' : 'created', login.active ? '' : 'inactive']
      .filter(Boolean)
      .join(', '),
  ]);
  const widths = HEADER.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]) =>
    '  ' +
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  return [
    'Demo logins:',
    ...(rows.length ? [line(HEADER), ...rows.map(line)] : ['  (none: no demo account exists)']),
    `Admin: ${next.adminLogin}`,
    '',
    `Next: npm start, open ${next.apiUrl}/docs, log in with POST /api/auth/login and press`,
    '"Authorize" with the accessToken.',
  ].join('\n');
}
