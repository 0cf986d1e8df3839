/**
 * How often each email was sent, from the log transport's lines (SMTP_URL unset): one line per
 * send, so a duplicate shows even where email_deliveries (one row per outbox id) cannot.
 * `keyOf` picks what identifies an email in the line (recipient, application id); lines it
 * returns undefined for are not counted.
 */
export function emailSends(
  logLines: readonly string[],
  keyOf: (line: string) => string | undefined,
): Map<string, number> {
  const sends = new Map<string, number>();
  for (const line of logLines) {
    if (!line.includes('email (log transport')) continue;
    const key = keyOf(line);
    if (key) sends.set(key, (sends.get(key) ?? 0) + 1);
  }
  return sends;
}
