import { NestFactory } from '@nestjs/core';
import { demoLogins } from '@mas/identity';
import { resolveConnection, SeedRunner, TransactionRunner } from '@mas/persistence';
import { AppModule } from '../app.module.js';
import { loadAppConfig } from '../config/app-config.js';
import { readSettings } from '../config/read-settings.js';
import { adminLogin, localApiUrl } from '../login-hints.js';
import { demoLoginsText } from './demo-logins-table.js';

/**
 * `npm run db:seed`: the demo seeds (never run at boot). Ensure seeds run first, as at boot. Ends
 * with the demo logins and where to use them.
 */
export async function seedDemo(): Promise<number> {
  const config = await readSettings(loadAppConfig);
  const database = await resolveConnection(config.database, (message) => console.error(message));
  try {
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot({ config, connection: database.connection }),
      {
        logger: ['error', 'warn'],
      },
    );
    try {
      await app.init();
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
    } finally {
      await app.close();
    }
    return 0;
  } finally {
    await database.stop();
  }
}
