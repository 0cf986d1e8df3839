import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import { type AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { metricsAccess } from './metrics-access.js';

/** METRICS_TOKEN for /api/metrics; when metrics are off the route answers like an unknown one. */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    switch (metricsAccess(this.config, request.headers.authorization)) {
      case 'allowed':
        return true;
      case 'disabled':
        throw new NotFoundException(`Cannot ${request.method} ${request.path}`);
      case 'unauthorized':
        throw new UnauthorizedException('a valid metrics token is required');
    }
  }
}
