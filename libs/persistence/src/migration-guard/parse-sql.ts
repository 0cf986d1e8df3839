import { loadModule, parseSync, type Node } from 'libpg-query';

export interface ParsedStatement {
  node: Node;
  /** The statement's own SQL text, for reports. */
  text: string;
}

export type SqlParseResult =
  { ok: true; statements: ParsedStatement[] } | { ok: false; error: string };

let parserReady: Promise<void> | undefined;

/** Loads the WASM parser once per process; every later call is free. */
export async function loadSqlParser(): Promise<void> {
  parserReady ??= loadModule();
  await parserReady;
}

/** Requires loadSqlParser() to have completed. */
export function parseSql(sql: string): SqlParseResult {
  try {
    const result = parseSync(sql);
    // libpg_query reports statement positions as UTF-8 byte offsets.
    const bytes = Buffer.from(sql, 'utf8');
    const statements = (result.stmts ?? []).flatMap((raw) => {
      if (!raw.stmt) return [];
      const start = raw.stmt_location ?? 0;
      const end = raw.stmt_len ? start + raw.stmt_len : bytes.length;
      return [{ node: raw.stmt, text: bytes.subarray(start, end).toString('utf8').trim() }];
    });
    return { ok: true, statements };
  } catch (error: unknown) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
