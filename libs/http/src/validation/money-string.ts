import { applyDecorators } from '@nestjs/common';
import { Matches } from 'class-validator';

/** numeric(12,2): up to 10 integer digits and 2 decimals, as a decimal string ("1499.00"). */
export const MONEY_PATTERN = /^(0|[1-9]\d{0,9})(\.\d{1,2})?$/;

/** Money arrives and leaves as a decimal string; it is never turned into a JS number. */
export const IsMoneyString = () =>
  applyDecorators(
    Matches(MONEY_PATTERN, {
      message: ({ property }) =>
        `${property} must be a decimal string like "1499.00" (max 10 digits, 2 decimals)`,
    }),
  );
