import { ApiProperty } from '@nestjs/swagger';
import { User } from '../entities/user.entity.js';
import { UserRole, UserStage } from '../entities/user-role.enum.js';

/** The public shape of a user: an explicit allow-list, so a hash can never leak. */
export class UserResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() fullName: string;
  @ApiProperty({ enum: UserRole }) role: UserRole;
  @ApiProperty({ enum: UserStage }) stage: UserStage;
  @ApiProperty() isActive: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) salesHeadId: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(user: User): UserResponse {
    return {
      id: user.id,
      email: user.email,
      fullName: user.fullName,
      role: user.role,
      stage: user.stage,
      isActive: user.isActive,
      salesHeadId: user.salesHeadId,
      createdAt: user.createdAt.toISOString(),
      updatedAt: user.updatedAt.toISOString(),
    };
  }
}

export class LoginResponse {
  @ApiProperty() accessToken: string;
  @ApiProperty({ type: UserResponse }) user: UserResponse;
}
