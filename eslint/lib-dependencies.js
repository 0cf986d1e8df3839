/**
 * The dependency direction between libs (docs/architecture.md), enforced: each lib may import only
 * the libs listed for it, through their @mas/* alias. apps/api, test/ and bench/ may import every lib.
 */
export const LIB_DEPENDENCIES = {
  // Every lib may throw domain errors; they depend on nothing (not even Nest, see below).
  'domain-errors': [],
  persistence: ['domain-errors'],
  // The email template catalogue that producers name; rendering stays in apps/api.
  email: ['persistence'],
  // The contract job handlers implement; the runtime that discovers them is apps/api's.
  jobs: [],
  // The HTTP layer (exception filter, DTO helpers) for the libs' controllers, above persistence.
  http: ['domain-errors', 'persistence'],
  identity: ['domain-errors', 'http', 'persistence'],
  finance: ['domain-errors', 'http', 'identity', 'persistence'],
  mentorship: ['domain-errors', 'email', 'finance', 'http', 'identity', 'persistence'],
  // lms and crm register workflow actions: the workflow engine knows none of them.
  lms: ['domain-errors', 'email', 'finance', 'http', 'identity', 'persistence', 'workflow'],
  crm: ['domain-errors', 'email', 'http', 'identity', 'lms', 'persistence', 'workflow'],
  workflow: ['domain-errors', 'email', 'http', 'persistence'],
  legacy: ['persistence'],
  // Pulls from the partner platforms into mrlearn and mrtest; shows them beside LMS applications.
  'external-sync': ['domain-errors', 'http', 'identity', 'lms', 'persistence'],
  // Backup and restore: plain SQL and COPY on the whole database, the migrations for the schema.
  backup: ['persistence'],
};

/** Beyond other libs, what a lib must not import at all. */
const ALSO_FORBIDDEN = {
  'domain-errors': {
    group: ['@nestjs/*', 'express'],
    message: 'Domain errors say nothing about HTTP.',
  },
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
              ...(ALSO_FORBIDDEN[lib] ? [ALSO_FORBIDDEN[lib]] : []),
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
