import { type Env, EnvReader } from '@mas/persistence';

export interface InputBoundarySettings {
  /** Deepest nesting of objects and arrays a request body may have (`MAX_JSON_DEPTH`). */
  maxJsonDepth: number;
}

export function loadInputBoundarySettings(env: Env): InputBoundarySettings {
  const read = new EnvReader(env);
  return { maxJsonDepth: read.int('MAX_JSON_DEPTH', 64, { min: 1, max: 1000 }) };
}
