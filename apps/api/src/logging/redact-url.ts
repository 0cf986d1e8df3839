/** Query parameters that carry a credential (a queue dashboard ticket), never written to logs. */
const SECRET_QUERY_PARAMETERS = new Set(['ticket']);

/** `url` with the value of every secret query parameter replaced by "[redacted]". */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const query = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=')[0];
      return SECRET_QUERY_PARAMETERS.has(decodedName(name)) ? `${name}=[redacted]` : pair;
    });
  return `${url.slice(0, queryStart)}?${query.join('&')}`;
}

/** The name as the query parser reads it (`ti%63ket` is `ticket`); as written if undecodable. */
function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}
