import { NestFactory } from '@nestjs/core';
import { resolveConnection, SeedRunner } from '@mas/persistence';
import { AppModule } from '../app.module.js';
import { loadAppConfig } from '../config/app-config.js';
import { readSettings } from '../config/read-settings.js';

/** `npm run db:seed`: the demo seeds (never run at boot). Ensure seeds run first, as at boot. */
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
      const seeded = await app.get(SeedRunner).run('demo');
      console.log(seeded.length ? `demo seeds: ${seeded.join(', ')}` : 'no demo seeds');
    } finally {
      await app.close();
    }
    return 0;
  } finally {
    await database.stop();
  }
}
