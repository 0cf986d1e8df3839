import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, RuleViolationError } from '@mas/domain-errors';
import {
  Coalesced,
  OutboxService,
  type Page,
  paginateByKeyset,
  ReplicaReads,
  PgCode,
  postgresErrorOf,
  prefixPattern,
  sessionRevoked,
  TransactionRunner,
} from '@mas/persistence';
import { EntityManager } from 'typeorm';
import { CreateUserDto, ListUsersQuery, UpdateUserDto } from '../dto/admin-user.dto.js';
import { AuthenticatedUsers } from '../auth/authenticated-users.js';
import { User } from '../entities/user.entity.js';
import { UserRole } from '../entities/user-role.enum.js';
import { PasswordHasher } from '../passwords/password-hasher.service.js';
import { refuseSelfLockout } from './self-lockout.js';
import { readUsers } from './user-rows.js';

export type NewUser = Pick<CreateUserDto, 'email' | 'password' | 'fullName' | 'role'> & {
  salesHeadId?: string | null;
};

@Injectable()
export class UsersService {
  private readonly authenticationLoads: Coalesced<string, User | null>;

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly hasher: PasswordHasher,
    private readonly outbox: OutboxService,
    private readonly authenticated: AuthenticatedUsers,
    private readonly reads: ReplicaReads,
  ) {
    const manager = transactions.manager();
    this.authenticationLoads = new Coalesced((ids) => readUsers(manager, ids));
  }

  /**
   * Inserts a user; in the caller's transaction when `tx` is given (user subscribers join it). A
   * known email is refused before the (deliberately expensive) hash; the unique index still
   * decides between two concurrent registrations.
   */
  async create(input: NewUser, tx?: EntityManager): Promise<User> {
    if (await this.transactions.manager(tx).existsBy(User, { email: input.email })) {
      throw emailTaken();
    }
    const passwordHash = await this.hasher.hash(input.password);
    return this.transactions.run(
      async (manager) => {
        if (input.salesHeadId) await this.requireSalesHead(manager, input.salesHeadId);
        const users = manager.getRepository(User);
        try {
          const { id } = await users.save(
            users.create({
              email: input.email,
              passwordHash,
              fullName: input.fullName,
              role: input.role,
              salesHeadId: input.salesHeadId ?? null,
            }),
          );
          return await users.findOneByOrFail({ id });
        } catch (error) {
          if (postgresErrorOf(error)?.code === PgCode.uniqueViolation) throw emailTaken();
          throw error;
        }
      },
      { within: tx },
    );
  }

  async findById(id: string, tx?: EntityManager): Promise<User | null> {
    return this.transactions.manager(tx).findOneBy(User, { id });
  }

  /**
   * The user row as committed now, for every authentication (cache reloads, socket handshakes,
   * scoped tokens): the loads started within one turn of the event loop share one statement.
   */
  loadForAuthentication(id: string): Promise<User | null> {
    return this.authenticationLoads.add(id);
  }

  async getById(id: string): Promise<User> {
    const user = await this.findById(id);
    if (!user) throw new NotFoundError('user not found');
    return user;
  }

  /** The user with its password hash, for verifying a login. */
  async findWithPasswordHash(email: string): Promise<User | null> {
    return this.transactions
      .manager()
      .createQueryBuilder(User, 'user')
      .addSelect('user.passwordHash')
      .where('user.email = :email', { email })
      .getOne();
  }

  /**
   * Replaces a password hash in an older scheme, only while it is still the one the login verified
   * (a concurrent password change or upgrade wins).
   */
  async upgradePasswordHash(id: string, verifiedHash: string, newHash: string): Promise<void> {
    await this.transactions
      .manager()
      .update(User, { id, passwordHash: verifiedHash }, { passwordHash: newHash });
  }

  /** May be served by a read replica that has replayed the reader's own writes. */
  list(query: ListUsersQuery, reader: User): Promise<Page<User>> {
    return this.reads.run(reader.id, (manager) => this.listOn(manager, query));
  }

  private listOn(manager: EntityManager, query: ListUsersQuery): Promise<Page<User>> {
    const users = manager.createQueryBuilder(User, 'user');
    if (query.role) users.andWhere('user.role = :role', { role: query.role });
    if (query.q) {
      users.andWhere('(user.email ILIKE :prefix OR user.fullName ILIKE :prefix)', {
        prefix: prefixPattern(query.q),
      });
    }
    return paginateByKeyset(users, query);
  }

  /**
   * Admin changes. A deactivation also bumps the token version (a token from before stays dead
   * after a reactivation); a deactivation or a role change tells the user's open sockets, through
   * the outbox in the same transaction.
   */
  async update(id: string, changes: UpdateUserDto, actor: User): Promise<User> {
    refuseSelfLockout(actor, id, changes);
    const updated = await this.transactions.run(async (manager) => {
      const user = await manager.findOne(User, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!user) throw new NotFoundError('user not found');
      if (changes.salesHeadId) {
        if (changes.salesHeadId === id)
          throw new RuleViolationError('a user cannot be their own sales head');
        await this.requireSalesHead(manager, changes.salesHeadId);
      }
      const deactivated = user.isActive && changes.isActive === false;
      const roleChanged = changes.role !== undefined && changes.role !== user.role;
      manager.merge(User, user, {
        role: changes.role,
        stage: changes.stage,
        isActive: changes.isActive,
        fullName: changes.fullName,
        salesHeadId: changes.salesHeadId,
      });
      if (deactivated) user.tokenVersion += 1;
      await manager.save(user);
      if (deactivated || roleChanged) {
        await this.outbox.publish(
          manager,
          sessionRevoked(id, deactivated ? 'deactivated' : 'role_changed'),
        );
      }
      return manager.findOneByOrFail(User, { id });
    });
    this.authenticated.evict(id);
    return updated;
  }

  /** Kills every token issued to the user so far (logout everywhere, or an admin's revocation). */
  async revokeTokens(id: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const { affected } = await manager.increment(User, { id }, 'tokenVersion', 1);
      if (!affected) throw new NotFoundError('user not found');
      await this.outbox.publish(manager, sessionRevoked(id, 'tokens_revoked'));
    });
    this.authenticated.evict(id);
  }

  private async requireSalesHead(manager: EntityManager, salesHeadId: string): Promise<void> {
    const head = await manager.findOneBy(User, { id: salesHeadId });
    if (!head || head.role !== UserRole.SalesHead) {
      throw new RuleViolationError('salesHeadId must be the id of a sales_head user');
    }
  }
}

function emailTaken(): ConflictError {
  return new ConflictError('email is already registered');
}
