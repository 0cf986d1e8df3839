import { DataSource } from 'typeorm';
import { createCliDatabase } from './cli-data-source.js';

/** Entry point for the TypeORM CLI (`typeorm -d dist/apps/api/src/database/data-source.js`). */
const { options } = await createCliDatabase();
export default new DataSource(options);
