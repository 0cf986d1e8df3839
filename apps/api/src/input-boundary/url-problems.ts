import { type ErrorDetail, errorDetail } from '@mas/domain-errors';
import { unsafeTextErrors } from '@mas/persistence';

const MALFORMED_ESCAPE = 'has a malformed percent-escape';

/**
 * Problems of a raw request URL: percent-escapes that do not decode as UTF-8 (a lone surrogate
 * cannot be encoded, so it arrives as one of these) and decoded NUL characters, in the path and in
 * each query parameter. Express would otherwise throw a URIError or hand NUL to Postgres.
 */
export function urlProblems(rawUrl: string): ErrorDetail[] {
  const queryStart = rawUrl.indexOf('?');
  const path = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
  const query = queryStart === -1 ? '' : rawUrl.slice(queryStart + 1);
  return [...pathProblems(path), ...queryProblems(query)];
}

function pathProblems(path: string): ErrorDetail[] {
  const errors = new Set<string>();
  for (const segment of path.split('/')) {
    const decoded = decodeComponent(segment);
    if (decoded === null) errors.add(MALFORMED_ESCAPE);
    else unsafeTextErrors(decoded).forEach((error) => errors.add(error));
  }
  return [...errors].map((error) => errorDetail(error, 'path'));
}

function queryProblems(query: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const separator = pair.indexOf('=');
    const rawName = separator === -1 ? pair : pair.slice(0, separator);
    const rawValue = separator === -1 ? '' : pair.slice(separator + 1);
    const name = decodeComponent(rawName);
    const value = decodeComponent(rawValue);
    const field = name === null ? 'query' : printableName(name);
    const errors = [
      ...(name === null || value === null ? [MALFORMED_ESCAPE] : []),
      ...(name === null ? [] : unsafeTextErrors(name).map((error) => `name ${error}`)),
      ...(value === null ? [] : unsafeTextErrors(value)),
    ];
    problems.push(...errors.map((error) => errorDetail(error, field)));
  }
  return problems;
}

/** A query component decoded as the query parser will (`+` is a space); null if malformed. */
function decodeComponent(component: string): string | null {
  try {
    return decodeURIComponent(component.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

function printableName(name: string): string {
  return name.split('\u0000').join('\\u0000');
}
