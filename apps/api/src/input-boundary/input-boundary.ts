import { type INestApplication } from '@nestjs/common';
import { MAX_IMPORT_BODY } from '@mas/crm';
import express from 'express';
import { type InputBoundarySettings } from './input-boundary-settings.js';
import { rejectUnsafeBody, rejectUnsafeUrl } from './input-boundary.middleware.js';

/** Nest's default body limit, kept for every route but the lead import. */
export const DEFAULT_BODY_LIMIT = '100kb';

/**
 * Every request passes here before any route, pipe or query: the URL is checked, the body parsed
 * (the app is created with `bodyParser: false`, so these are the only parsers) and then checked.
 */
export function applyInputBoundary(
  app: INestApplication,
  prefix: string,
  settings: InputBoundarySettings,
): void {
  app.use(rejectUnsafeUrl());
  // Lead imports may be 10 MB of JSON; the default parser then sees an already-read body and skips.
  app.use(`/${prefix}/crm/leads/import`, express.json({ limit: MAX_IMPORT_BODY }));
  app.use(express.json({ limit: DEFAULT_BODY_LIMIT }));
  app.use(express.urlencoded({ extended: true, limit: DEFAULT_BODY_LIMIT }));
  app.use(rejectUnsafeBody(settings));
}
