import { Injectable } from '@nestjs/common';
import { Seed, type Seeder } from '@mas/persistence';
import { EntityManager } from 'typeorm';
import { DefinitionsService } from '../definitions.service.js';
import { APPLICATION_REVIEW } from './application-review.js';
import { PAP_ONBOARDING } from './pap-onboarding.js';

/** Version 1 of each default workflow whose key has no version yet; saved versions are kept. */
@Seed({ kind: 'ensure', order: 50 })
@Injectable()
export class DefaultDefinitionsSeed implements Seeder {
  constructor(private readonly definitions: DefinitionsService) {}

  async run(tx: EntityManager): Promise<void> {
    for (const definition of [APPLICATION_REVIEW, PAP_ONBOARDING]) {
      await this.definitions.ensure(definition, tx);
    }
  }
}
