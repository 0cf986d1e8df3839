import { readFileSync } from 'node:fs';

/** Jest in ESM mode (NestJS 12 is ESM-only): run with NODE_OPTIONS=--experimental-vm-modules. */
const { compilerOptions } = JSON.parse(
  readFileSync(new URL('./tsconfig.json', import.meta.url), 'utf8'),
);
// `@mas/x` names a lib's index; `@mas/testing/*` a file of test/support, imported as `….js`.
const aliasMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => {
    const path = `<rootDir>/${target.replace(/^\.\//, '')}`;
    return alias.endsWith('/*')
      ? [`^${alias.slice(0, -1)}(.*)\\.js$`, path.replace(/\*$/, '$1')]
      : [`^${alias}$`, path];
  }),
);

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, tsconfig: '<rootDir>/tsconfig.json', diagnostics: { ignoreCodes: [151002] } },
    ],
  },
  moduleNameMapper: { ...aliasMapper, '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
  testTimeout: 60000,
  maxWorkers: 2,
};
