import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProperty, getSchemaPath } from '@nestjs/swagger';

/** The envelope of every keyset-paginated list; `ApiPage` narrows `items` to the item schema. */
export class PageResponse {
  @ApiProperty({ type: 'array', items: { type: 'object' } }) items: unknown[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'pass as ?cursor= for the next page; null on the last page',
  })
  nextCursor: string | null;
}

/** A 200 with `{ items: Item[], nextCursor }`. */
export const ApiPage = (item: Type<unknown>) =>
  applyDecorators(
    ApiExtraModels(PageResponse, item),
    ApiOkResponse({
      description: 'one page, newest first',
      schema: {
        allOf: [
          { $ref: getSchemaPath(PageResponse) },
          {
            required: ['items', 'nextCursor'],
            properties: { items: { type: 'array', items: { $ref: getSchemaPath(item) } } },
          },
        ],
      },
    }),
  );
