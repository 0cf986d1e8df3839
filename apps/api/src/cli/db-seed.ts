import { demoLogins } from '@mas/identity';
import { SeedRunner, TransactionRunner } from '@mas/persistence';
import { adminLogin, localApiUrl } from '../login-hints.js';
import { withCliApp } from './cli-app.js';
import { demoLoginsText } from './demo-logins-table.js';

/**
 * `npm run db:seed`: the demo seeds (never run at boot). Ensure seeds run first, as at boot. Ends
 * with the demo logins and where to use them.
 */
export async function seedDemo(): Promise<number> {
  await withCliApp(async (app, config) => {
    const manager = app.get(TransactionRunner).manager();
    const existedBefore = new Set((await demoLogins(manager)).map((login) => login.email));
    const seeded = await app.get(SeedRunner).run('demo');
    console.log(seeded.length ? `demo seeds: ${seeded.join(', ')}` : 'no demo seeds');
    console.log();
    console.log(
      demoLoginsText(await demoLogins(manager), existedBefore, {
        apiUrl: localApiUrl(config.port),
        adminLogin: adminLogin(config.identity.admin),
      }),
    );
  });
  return 0;
}
