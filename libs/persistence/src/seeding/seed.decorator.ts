import { DiscoveryService } from '@nestjs/core';
import { type EntityManager } from 'typeorm';

/**
 * `ensure` seeds run at every boot and must be idempotent (insert if missing); `demo` seeds run
 * only on `npm run db:seed`.
 */
export type SeedKind = 'ensure' | 'demo';

export interface SeedOptions {
  kind: SeedKind;
  /** Lower runs first; seeds that depend on others use a higher order. */
  order?: number;
}

export interface Seeder {
  run(tx: EntityManager): Promise<void>;
}

/** Marks a provider implementing `Seeder`; the SeedRunner discovers it. */
export const Seed = DiscoveryService.createDecorator<SeedOptions>();
