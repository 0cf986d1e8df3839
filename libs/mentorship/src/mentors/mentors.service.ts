import { Injectable } from '@nestjs/common';
import {
  type Page,
  paginateByKeyset,
  prefixPattern,
  ReplicaReads,
  TransactionRunner,
} from '@mas/persistence';
import { UpsertMentorProfileDto } from '../dto/mentor.dto.js';
import { MentorProfile } from '../entities/mentor-profile.entity.js';

@Injectable()
export class MentorsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly reads: ReplicaReads,
  ) {}

  /** Creates or replaces the caller's profile (one per expert, enforced by a unique user_id). */
  async upsert(userId: string, input: UpsertMentorProfileDto): Promise<MentorProfile> {
    const profiles = this.transactions.manager().getRepository(MentorProfile);
    await profiles.upsert(
      { userId, headline: input.headline, expertise: input.expertise, bio: input.bio ?? null },
      ['userId'],
    );
    return profiles.findOneByOrFail({ userId });
  }

  /** A search; may be served by a read replica that has replayed the reader's own writes. */
  list(
    query: { q?: string; limit?: number; cursor?: string },
    readerId: string,
  ): Promise<Page<MentorProfile>> {
    return this.reads.run(readerId, (manager) => {
      const profiles = manager.createQueryBuilder(MentorProfile, 'profile');
      if (query.q)
        profiles.andWhere('lower(profile.headline) LIKE :prefix', {
          prefix: prefixPattern(query.q.toLowerCase()),
        });
      return paginateByKeyset(profiles, query);
    });
  }
}
