/**
 * The dependency direction between libs (docs/architecture.md), enforced: each lib may import only
 * the libs listed for it, through their @mas/* alias. apps/api, test/ and bench/ may import every lib.
 */
export const LIB_DEPENDENCIES = {
  persistence: [],
  identity: ['persistence'],
  finance: ['identity', 'persistence'],
  mentorship: ['finance', 'identity', 'persistence'],
  // lms and crm register workflow actions: the workflow engine knows none of them.
  lms: ['finance', 'identity', 'persistence', 'workflow'],
  crm: ['lms', 'identity', 'persistence', 'workflow'],
  workflow: ['persistence'],
  legacy: ['persistence'],
};

const ALIASES_ONLY = {
  group: ['**/libs/*/src/**', '../../libs/**'],
  message: 'Import libs through @mas/* aliases.',
};

/** One ESLint config block per lib, forbidding the aliases of the libs it must not import. */
export function libDependencyRules() {
  const libs = Object.keys(LIB_DEPENDENCIES);
  return libs.map((lib) => {
    const forbidden = libs.filter(
      (other) => other !== lib && !LIB_DEPENDENCIES[lib].includes(other),
    );
    return {
      files: [`libs/${lib}/**/*.ts`],
      ignores: ['**/*.spec.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              ALIASES_ONLY,
              ...(forbidden.length
                ? [
                    {
                      group: forbidden.flatMap((other) => [`@mas/${other}`, `@mas/${other}/*`]),
                      message: `libs/${lib} may import only ${LIB_DEPENDENCIES[lib].map((d) => `@mas/${d}`).join(', ') || 'no other lib'} (docs/architecture.md).`,
                    },
                  ]
                : []),
            ],
          },
        ],
      },
    };
  });
}

export { ALIASES_ONLY };
