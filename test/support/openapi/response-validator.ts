import Ajv from 'ajv';

type JsonSchema = Record<string, unknown>;

interface ValidatedDocument {
  paths: Record<
    string,
    Record<
      string,
      { responses?: Record<string, { content?: Record<string, { schema?: object }> }> }
    >
  >;
  components?: { schemas?: Record<string, JsonSchema> };
}

/**
 * Named schemas, closed: a response with a field the document does not declare (a leaked hash, a
 * renamed property) fails. Inline `allOf` parts stay open, or no part could match alone.
 */
function closedSchemas(schemas: Record<string, JsonSchema>): Record<string, JsonSchema> {
  return Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => [
      name,
      schema.properties && schema.additionalProperties === undefined
        ? { ...schema, additionalProperties: false }
        : schema,
    ]),
  );
}

type Ajvs = { ajv: Ajv.Ajv; components: { schemas: Record<string, JsonSchema> } };

/** Only the named schemas matter for an error body: any document shape with them will do. */
type WithSchemas = { components?: { schemas?: Record<string, object> } };

function ajvOf(document: WithSchemas): Ajvs {
  // ajv 6 (already in node_modules): OpenAPI 3.0's `nullable` is an option there.
  const ajv = new Ajv({ nullable: true, allErrors: true, unknownFormats: 'ignore' });
  const schemas = (document.components?.schemas ?? {}) as Record<string, JsonSchema>;
  return { ajv, components: { schemas: closedSchemas(schemas) } };
}

function problemsOf(
  { ajv, components }: Ajvs,
  schema: object,
  body: unknown,
  label: string,
): string[] {
  // The document's refs are `#/components/...`: compile with the components at the root.
  const validate = ajv.compile({ allOf: [schema], components });
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (error) => `${label}: body${error.dataPath} ${error.message ?? 'is invalid'}`,
  );
}

/**
 * Checks any error body against the document's `ErrorResponse`, whatever the operation (the
 * fuzzer's 4xx answers include statuses an operation need not document).
 */
export function errorBodyValidatorOf(document: WithSchemas) {
  const ajvs = ajvOf(document);
  const schema = { $ref: '#/components/schemas/ErrorResponse' };
  return (body: unknown): string[] => problemsOf(ajvs, schema, body, 'ErrorResponse');
}

/**
 * Checks a real response body against the document's schema for that operation and status.
 * `validate('GET /api/users/{id}', 404, body)` returns the problems, empty when it conforms.
 */
export function responseValidatorOf(document: ValidatedDocument) {
  const ajvs = ajvOf(document);
  return (operation: string, status: number, body: unknown): string[] => {
    const [method, path] = operation.split(' ');
    const responses = document.paths[path]?.[method.toLowerCase()]?.responses;
    const schema = responses?.[String(status)]?.content?.['application/json']?.schema;
    if (!schema) return [`${operation} documents no JSON body for ${status}`];
    return problemsOf(ajvs, schema, body, `${operation} ${status}`);
  };
}
