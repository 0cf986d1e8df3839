import { type Manifest } from '@mas/backup';

const MB = 1024 * 1024;

/** Size, time, throughput, peak memory and the money figures of a backup or restore run. */
export function formatRunFigures(manifest: Manifest, fileBytes: number, seconds: number): string {
  const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
  const [label, dataBytes] =
    manifest.engine === 'pg_dump'
      ? ['pg_dump data', manifest.dump?.bytes ?? 0]
      : ['COPY data', manifest.tables.reduce((sum, table) => sum + (table.bytes ?? 0), 0)];
  const money = manifest.facts.money;
  return [
    `  tables: ${manifest.tables.length}, rows: ${rows}, ${label}: ${(dataBytes / MB).toFixed(1)} MB`,
    `  file: ${(fileBytes / MB).toFixed(1)} MB`,
    `  time: ${seconds.toFixed(1)} s (${(dataBytes / MB / seconds).toFixed(1)} MB/s of ${label})`,
    `  peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    money
      ? `  money: ${money.wallets} wallets, balances ${money.walletBalanceTotal}; ` +
        `${money.ledgerRows} ledger rows, deltas ${money.ledgerDeltaTotal}; ` +
        `${money.walletsOffLedger} wallets off their ledger`
      : '  money: no token books in this schema',
  ].join('\n');
}
