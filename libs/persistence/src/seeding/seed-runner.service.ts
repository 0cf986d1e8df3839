import { Injectable, Logger } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { TransactionRunner } from '../transactions/transaction-runner.js';
import { Seed, type SeedKind, type Seeder } from './seed.decorator.js';

interface FoundSeeder {
  name: string;
  order: number;
  seeder: Seeder;
}

/** Runs the discovered seeders of one kind, each in its own transaction, in a fixed order. */
@Injectable()
export class SeedRunner {
  private readonly logger = new Logger('Seeds');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly transactions: TransactionRunner,
  ) {}

  async run(kind: SeedKind): Promise<string[]> {
    const seeders = this.find(kind);
    for (const { name, seeder } of seeders) {
      await this.transactions.run(async (tx) => {
        // Instances booting together seed one after the other, so "insert if missing" holds.
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`mas:seed:${name}`]);
        await seeder.run(tx);
      });
      this.logger.log(`${kind} seed ${name} done`);
    }
    return seeders.map((found) => found.name);
  }

  private find(kind: SeedKind): FoundSeeder[] {
    return this.discovery
      .getProviders({ metadataKey: Seed.KEY })
      .flatMap((wrapper): FoundSeeder[] => {
        const options = this.discovery.getMetadataByDecorator(Seed, wrapper);
        if (!options || options.kind !== kind || !wrapper.instance) return [];
        return [
          {
            name: String(wrapper.name),
            order: options.order ?? 0,
            seeder: wrapper.instance as Seeder,
          },
        ];
      })
      .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
  }
}
