import { BadRequestException, Param, type PipeTransform } from '@nestjs/common';
import { errorDetail } from '@mas/domain-errors';
import { withDetails } from '@mas/http';
import { isSourceName, SOURCE_NAMES, type SourceName } from '../source/source-name.js';

const MUST_BE = `must be one of ${SOURCE_NAMES.join(', ')}`;

class ParseSourceName implements PipeTransform<string, SourceName> {
  transform(value: string): SourceName {
    if (isSourceName(value)) return value;
    throw new BadRequestException(
      withDetails(`source ${MUST_BE}`, [errorDetail(MUST_BE, 'source')]),
    );
  }
}

/** The `:source` path parameter: `mrlearn` or `mrtest`, anything else a 400 naming it. */
export function SourceParam(): ParameterDecorator {
  return Param('source', new ParseSourceName());
}
