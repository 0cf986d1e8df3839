import {
  CanActivate,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { IDENTITY_CONFIG, IdentityConfig } from '../identity.config.js';

interface Window {
  attempts: number;
  resetsAt: number;
}

/**
 * Fixed-window limit on login attempts per client address (LOGIN_RATE_LIMIT per
 * LOGIN_RATE_WINDOW_MS). Kept in this process's memory: each API instance counts on its own.
 */
@Injectable()
export class LoginRateLimitGuard implements CanActivate {
  private readonly windows = new Map<string, Window>();

  constructor(@Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const now = Date.now();
    const { limit, windowMs } = this.config.loginRateLimit;
    this.forgetExpired(now);
    const key = request.ip ?? 'unknown';
    const window = this.windows.get(key) ?? { attempts: 0, resetsAt: now + windowMs };
    window.attempts += 1;
    this.windows.set(key, window);
    if (window.attempts <= limit) return true;
    const retryAfterSeconds = Math.ceil((window.resetsAt - now) / 1000);
    http.getResponse<Response>().setHeader('Retry-After', String(retryAfterSeconds));
    throw new HttpException(
      `too many login attempts, retry in ${retryAfterSeconds} s`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }

  private forgetExpired(now: number): void {
    for (const [key, window] of this.windows) {
      if (window.resetsAt <= now) this.windows.delete(key);
    }
  }
}
