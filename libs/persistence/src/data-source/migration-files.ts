import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const runningFromSource = import.meta.url.endsWith('.ts');

/** `migrations/` beside the sources, or `dist/migrations/` when running compiled code. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../../migrations/', import.meta.url));

/** Imports every migration class in filename (= timestamp) order. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Function[]> {
  const extension = runningFromSource ? '.ts' : '.js';
  const files = (await readdir(dir).catch(() => []))
    .filter((file) => file.endsWith(extension) && !file.endsWith('.d.ts') && /^\d/.test(file))
    .sort();
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  const classes: Function[] = [];
  for (const file of files) {
    const exported = (await import(pathToFileURL(join(dir, file)).href)) as Record<string, unknown>;
    for (const value of Object.values(exported)) {
      if (typeof value === 'function') classes.push(value);
    }
  }
  return classes;
}
