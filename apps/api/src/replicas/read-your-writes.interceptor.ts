import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import { ReplicaReads } from '@mas/persistence';
import type { Request } from 'express';
import { mergeMap, type Observable } from 'rxjs';

const READ_ONLY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * After a request that may have written (any method but GET, HEAD, OPTIONS) succeeds for a signed-in
 * user, records the primary's WAL position before the response leaves: that user's next reads, on
 * any instance, go only to a replica that has replayed it (or to the primary).
 */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  private readonly logger = new Logger(ReadYourWritesInterceptor.name);

  constructor(private readonly reads: ReplicaReads) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.reads.enabled || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request & { user?: { id: string } }>();
    if (READ_ONLY_METHODS.has(request.method)) return next.handle();
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        const callerId = request.user?.id;
        if (callerId) await this.noteWrite(callerId);
        return body;
      }),
    );
  }

  /** The write has committed: failing its response now would invite a retry that repeats it. */
  private async noteWrite(callerId: string): Promise<void> {
    try {
      await this.reads.noteWriteBy(callerId);
    } catch (error) {
      this.logger.warn(`could not record the write position of a caller: ${String(error)}`);
    }
  }
}
