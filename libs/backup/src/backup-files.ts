import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

const EXTENSION = '.masbackup';
const PATTERN = /^mas-.+-(\d{8}T\d{9}Z)\.masbackup$/;

/** `mas-<database>-<UTC time to the millisecond>.masbackup`: names sort by time. */
export function backupFileName(database: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:.]/g, '');
  return `mas-${database.replace(/[^A-Za-z0-9_]/g, '_')}-${stamp}${EXTENSION}`;
}

/** The backups in `dir`, newest first. */
export async function listBackups(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  return names
    .filter((name) => PATTERN.test(name))
    .sort((a, b) => PATTERN.exec(b)![1].localeCompare(PATTERN.exec(a)![1]))
    .map((name) => join(dir, name));
}

/**
 * Keeps the `keep` newest backups and removes the older ones, and `.partial` files a crashed
 * backup left more than a day ago. Returns the removed paths.
 */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const removed = (await listBackups(dir)).slice(keep);
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const name of await readdir(dir)) {
    if (!name.endsWith(`${EXTENSION}.partial`)) continue;
    const path = join(dir, name);
    if ((await stat(path)).mtimeMs < dayAgo) removed.push(path);
  }
  for (const path of removed) await rm(path, { force: true });
  return removed;
}
