/** The operations of an OpenAPI 3 document, reduced to what the fuzz test varies. */

export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  minimum?: number;
  minLength?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  $ref?: string;
}

export interface QueryParameter {
  name: string;
  schema: Schema;
}

export interface Operation {
  /** `POST /api/users/{id}` */
  name: string;
  method: string;
  template: string;
  pathParameters: string[];
  query: QueryParameter[];
  /** The JSON body's schema (refs resolved one level at a time by `resolve`), if it takes one. */
  body: Schema | undefined;
}

interface OpenApiParameter {
  name: string;
  in: string;
  schema?: Schema;
}

interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([template, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const parameters = operation.parameters ?? [];
      return {
        name: `${method.toUpperCase()} ${template}`,
        method: method.toUpperCase(),
        template,
        pathParameters: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        body: operation.requestBody?.content?.['application/json']?.schema,
      };
    }),
  );
}

/** Follows `$ref: '#/components/schemas/X'`. */
export function resolverOf(document: OpenApiDocument): (schema: Schema) => Schema {
  return (schema) => {
    const name = schema.$ref?.replace('#/components/schemas/', '');
    return (name && document.components?.schemas?.[name]) || schema;
  };
}
