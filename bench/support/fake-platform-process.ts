/**
 * A fake Mr. Learn in its own process, for the sync benchmark: `learners` and `enrollments`, each
 * `count` records (argv[2]), token argv[3]. Prints `listening <url>` once it serves.
 */
import { FakePartnerPlatform } from './fake-partner-platform.js';
import { enrollments, learners } from './partner-records.js';

const count = Number(process.argv[2]);
const platform = await FakePartnerPlatform.start(process.argv[3]);
// Changed at ~1 record per ms, as a busy platform would be: pages span distinct timestamps.
const at = (n: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + n).toISOString();
platform.put('learners', learners(count, 1, at));
platform.put('enrollments', enrollments(count, 1, at));
console.log(`listening ${platform.url}`);
process.on('SIGTERM', () => void platform.close().then(() => process.exit(0)));
