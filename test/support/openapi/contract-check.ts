import { type RouteAccess } from './route-access.js';

interface ResponseObject {
  description?: string;
  content?: Record<string, { schema?: { $ref?: string } }>;
}

export interface ContractOperation {
  parameters?: unknown[];
  requestBody?: unknown;
  responses?: Record<string, ResponseObject>;
  security?: unknown[];
  description?: string;
  'x-roles'?: string[];
}

export interface ContractDocument {
  paths: Record<string, Record<string, ContractOperation>>;
}

export interface Coverage {
  total: number;
  withSuccessSchema: number;
  withErrorResponses: number;
  problems: string[];
}

const ERROR_REF = '#/components/schemas/ErrorResponse';

function successProblems(operation: ContractOperation): string[] {
  const successes = Object.entries(operation.responses ?? {}).filter(([status]) =>
    /^2\d\d$/.test(status),
  );
  const documented = successes.some(
    ([status, response]) =>
      status === '204' || Object.values(response.content ?? {}).some((media) => media.schema),
  );
  return documented ? [] : ['no 2xx response with a schema (nor a 204)'];
}

function errorProblems(operation: ContractOperation, access: RouteAccess): string[] {
  const responses = operation.responses ?? {};
  const required: string[] = [];
  if ((operation.parameters?.length ?? 0) > 0 || operation.requestBody) required.push('400');
  if (!access.isPublic) required.push('401');
  if (access.roles.length > 0) required.push('403');
  const problems = required
    .filter(
      (status) => responses[status]?.content?.['application/json']?.schema?.$ref !== ERROR_REF,
    )
    .map((status) => `no ${status} with the ErrorResponse schema`);
  // A public route may still answer 401 for its own reason (login: wrong password), never for a token.
  if (!operation.security?.length && /bearer token/.test(responses['401']?.description ?? '')) {
    problems.push('lists the missing-token 401 but needs no token');
  }
  if (!access.isPublic && !operation.security?.length) problems.push('no bearer security');
  return problems;
}

function roleProblems(operation: ContractOperation, access: RouteAccess): string[] {
  const documented = [...(operation['x-roles'] ?? [])].sort();
  const problems: string[] = [];
  if (documented.join() !== access.roles.join()) {
    problems.push(`x-roles is [${documented.join()}], @Roles says [${access.roles.join()}]`);
  }
  const missing = access.roles.filter((role) => !operation.description?.includes(role));
  if (missing.length) problems.push(`description does not name role(s) ${missing.join(', ')}`);
  return problems;
}

/** Checks every operation of the document against the routes the app really serves. */
export function checkContract(
  document: ContractDocument,
  routes: Map<string, RouteAccess>,
): Coverage {
  const coverage: Coverage = {
    total: 0,
    withSuccessSchema: 0,
    withErrorResponses: 0,
    problems: [],
  };
  const seen = new Set<string>();
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const name = `${method.toUpperCase()} ${path}`;
      seen.add(name);
      coverage.total += 1;
      const access = routes.get(name);
      if (!access) {
        coverage.problems.push(`${name}: in the document but not a route of the app`);
        continue;
      }
      const success = successProblems(operation);
      const errors = errorProblems(operation, access);
      if (!success.length) coverage.withSuccessSchema += 1;
      if (!errors.length) coverage.withErrorResponses += 1;
      for (const problem of [...success, ...errors, ...roleProblems(operation, access)]) {
        coverage.problems.push(`${name}: ${problem}`);
      }
    }
  }
  for (const name of routes.keys()) {
    if (!seen.has(name)) coverage.problems.push(`${name}: a route missing from the document`);
  }
  return coverage;
}
