import { join } from 'node:path';
import { ConfigModule } from '@nestjs/config';
import type { Env } from '@mas/persistence';

export interface SettingsSource {
  /** Where `.env` is looked for (default: the working directory). A missing file is fine. */
  cwd?: string;
}

/**
 * Reads settings the way @nestjs/config does: `.env` in the working directory, when there is one,
 * under the process environment (which wins). `load` (loadAppConfig, loadDatabaseConfig) validates
 * the merge and throws a ConfigError naming the first bad variable, whichever of the two it came from.
 *
 * Nothing is copied into process.env: every entry point and spawned CLI reads `.env` through here.
 * Tests never call this; they pass an explicit env to the loader, so a developer's `.env` stays out.
 */
export async function readSettings<T>(
  load: (env: Env) => T,
  { cwd = process.cwd() }: SettingsSource = {},
): Promise<T> {
  let settings: { value: T } | undefined;
  await ConfigModule.forRoot({
    envFilePath: join(cwd, '.env'),
    validate: (variables: Env) => {
      settings = { value: load(variables) };
      // Only the string values of the returned object would be copied into process.env.
      return {};
    },
  });
  if (!settings) throw new Error('@nestjs/config did not call validate');
  return settings.value;
}
