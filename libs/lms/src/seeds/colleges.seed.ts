import { Injectable } from '@nestjs/common';
import { Seed, type Seeder } from '@mas/persistence';
import { EntityManager } from 'typeorm';
import colleges from '../fixtures/colleges.json' with { type: 'json' };
import { College } from '../entities/college.entity.js';

/** Inserts the colleges of fixtures/colleges.json that are missing; never changes existing ones. */
@Seed({ kind: 'ensure', order: 10 })
@Injectable()
export class CollegesSeed implements Seeder {
  async run(tx: EntityManager): Promise<void> {
    await tx
      .createQueryBuilder()
      .insert()
      .into(College)
      .values(colleges.map(({ name, city, state }) => ({ name, city, state })))
      .orIgnore()
      .execute();
  }
}
