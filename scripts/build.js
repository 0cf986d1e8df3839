#!/usr/bin/env node
import { buildIfChanged } from './lib/incremental-build.js';

// `npm run build`: compile to dist/ when sources changed, and drop outputs of deleted sources.
process.exitCode = await buildIfChanged(process.cwd(), (message) => console.error(message));
