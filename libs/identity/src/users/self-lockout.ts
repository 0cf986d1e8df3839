import { RuleViolationError } from '@mas/domain-errors';
import { type UpdateUserDto } from '../dto/admin-user.dto.js';
import { type User } from '../entities/user.entity.js';

/**
 * An admin may not deactivate or demote themselves: the last admin doing so would leave nobody to
 * undo it. Another admin can.
 */
export function refuseSelfLockout(actor: User, targetId: string, changes: UpdateUserDto): void {
  if (actor.id !== targetId) return;
  if (changes.isActive === false) {
    throw new RuleViolationError(
      'you cannot deactivate yourself; another admin can deactivate your account',
    );
  }
  if (changes.role !== undefined && changes.role !== actor.role) {
    throw new RuleViolationError('you cannot change your own role; another admin can change it');
  }
}
