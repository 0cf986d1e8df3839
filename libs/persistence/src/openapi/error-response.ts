import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The one error body every 4xx and 5xx of the API has. */
export class ErrorResponse {
  @ApiProperty({ example: 400 }) statusCode: number;
  @ApiProperty({ example: 'Bad Request' }) error: string;
  @ApiProperty({ example: 'email must be an email' }) message: string;

  @ApiPropertyOptional({
    description: 'one entry per problem, e.g. { field, errors } for validation',
    type: 'array',
    items: { type: 'object', additionalProperties: true },
  })
  details?: Record<string, unknown>[];
}
