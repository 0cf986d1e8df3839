import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ErrorDetail } from '@mas/domain-errors';

/** One entry of `details`. */
export class ErrorDetailResponse implements ErrorDetail {
  @ApiPropertyOptional({
    description:
      'the input the problem belongs to, as a dotted path: body field, query, path parameter or header',
    example: 'email',
  })
  field?: string;

  @ApiProperty({ description: 'what is wrong', example: 'must be an email' }) message: string;
}

/** The one error body every 4xx and 5xx of the API has. */
export class ErrorResponse {
  @ApiProperty({ example: 400 }) statusCode: number;
  @ApiProperty({ example: 'Bad Request' }) error: string;
  @ApiProperty({ example: 'validation failed' }) message: string;

  @ApiPropertyOptional({
    description: 'one entry per problem',
    type: () => [ErrorDetailResponse],
  })
  details?: ErrorDetailResponse[];
}
