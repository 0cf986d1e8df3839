import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto, Trim } from '@mas/http';
import {
  IsBoolean,
  IsEnum,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { UserRole, UserStage } from '../entities/user-role.enum.js';
import { RegisterDto } from './credentials.dto.js';

export class CreateUserDto extends RegisterDto {
  @ApiProperty({ enum: UserRole })
  @IsEnum(UserRole)
  role: UserRole;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @IsOptional()
  @IsUUID()
  salesHeadId?: string | null;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ enum: UserRole }) @IsOptional() @IsEnum(UserRole) role?: UserRole;
  @ApiPropertyOptional({ enum: UserStage }) @IsOptional() @IsEnum(UserStage) stage?: UserStage;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() isActive?: boolean;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @IsOptional()
  @IsUUID()
  salesHeadId?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(150)
  fullName?: string;
}

export class ListUsersQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: UserRole }) @IsOptional() @IsEnum(UserRole) role?: UserRole;

  @ApiPropertyOptional({ description: 'prefix of the email or full name, case-insensitive' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  q?: string;
}
