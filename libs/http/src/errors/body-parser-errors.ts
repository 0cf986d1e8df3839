/**
 * Errors of the request body parsers (body-parser / raw-body: `{ status, type, expose }`), mapped
 * to a 4xx a client can act on. Nest may hand them to the filter raw or wrapped in an
 * HttpException whose `cause` is the parser's error; both are recognised.
 */

export interface BodyParserFailure {
  status: number;
  message: string;
}

const MESSAGES: Record<string, (error: ParserError) => string> = {
  'entity.parse.failed': () => 'the request body is not valid JSON',
  'entity.too.large': (error) =>
    typeof error.limit === 'number'
      ? `the request body is too large (limit ${error.limit} bytes)`
      : 'the request body is too large',
  'charset.unsupported': (error) => error.message,
  'encoding.unsupported': (error) => error.message,
  'parameters.too.many': () => 'the request body has too many parameters',
  'querystring.parse.rangeError': () => 'the request body is nested too deeply',
  'request.size.invalid': () => 'the request body size does not match its Content-Length',
  'request.aborted': () => 'the request was aborted',
};

interface ParserError extends Error {
  status: number;
  type: string;
  limit?: unknown;
}

export function bodyParserFailureOf(exception: unknown): BodyParserFailure | null {
  const error =
    asParserError(exception) ?? asParserError((exception as { cause?: unknown })?.cause);
  if (!error) return null;
  const message = MESSAGES[error.type];
  return {
    status: error.status,
    message: message ? message(error) : 'the request body is invalid',
  };
}

function asParserError(value: unknown): ParserError | null {
  if (!(value instanceof Error)) return null;
  const { status, type } = value as Partial<ParserError>;
  const isClientError = typeof status === 'number' && status >= 400 && status < 500;
  return isClientError && typeof type === 'string' ? (value as ParserError) : null;
}
