import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto, Trim, TrimLower } from '@mas/http';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsEmail,
  IsEnum,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { LeadActivity, LeadActivityType } from '../entities/lead-activity.entity.js';
import { LeadStatus } from '../entities/lead-status.enum.js';
import { Lead } from '../entities/lead.entity.js';
import { LeadTag } from '../entities/lead-tag.entity.js';

export const PHONE_PATTERN = /^\+?[0-9 ()-]{6,20}$/;
export const SOURCE_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,59}$/;

export class CreateLeadDto {
  @ApiProperty() @Trim() @IsString() @IsNotEmpty() @MaxLength(200) fullName: string;
  @ApiPropertyOptional()
  @IsOptional()
  @TrimLower()
  @IsEmail()
  @MaxLength(254)
  email?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Trim()
  @Matches(PHONE_PATTERN, { message: 'phone must be 6-20 digits, spaces, dashes or brackets' })
  phone?: string;
  @ApiProperty({ example: 'website' })
  @TrimLower()
  @Matches(SOURCE_PATTERN, { message: 'source must be 1-60 lower-case letters, digits, _ . or -' })
  source: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(40)
  platform?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];
}

export class UpdateLeadDto {
  @ApiPropertyOptional({ enum: LeadStatus }) @IsOptional() @IsEnum(LeadStatus) status?: LeadStatus;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @IsOptional()
  @IsUUID()
  ownerId?: string | null;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];
  @ApiPropertyOptional()
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  fullName?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Trim()
  @Matches(PHONE_PATTERN, { message: 'phone must be 6-20 digits, spaces, dashes or brackets' })
  phone?: string;
}

export class ListLeadsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: LeadStatus }) @IsOptional() @IsEnum(LeadStatus) status?: LeadStatus;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional() @IsOptional() @Trim() @IsString() @MaxLength(50) tag?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @TrimLower()
  @IsString()
  @MaxLength(60)
  source?: string;
  @ApiPropertyOptional({ description: 'text in the name or email (trigram search)' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  q?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  createdFrom?: Date;
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  createdTo?: Date;
}

export class CreateActivityDto {
  @ApiProperty({ enum: LeadActivityType }) @IsEnum(LeadActivityType) type: LeadActivityType;
  @ApiProperty() @Trim() @IsString() @IsNotEmpty() @MaxLength(5000) body: string;
}

export class CreateTagDto {
  @ApiProperty() @Trim() @IsString() @IsNotEmpty() @MaxLength(50) name: string;
}

export class LeadResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() fullName: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty() source: string;
  @ApiProperty({ enum: LeadStatus }) status: LeadStatus;
  @ApiProperty({ nullable: true, type: String }) platform: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) userId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) applicationId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) ownerId: string | null;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(lead: Lead): LeadResponse {
    return {
      id: lead.id,
      fullName: lead.fullName,
      email: lead.email,
      phone: lead.phone,
      source: lead.source,
      status: lead.status,
      platform: lead.platform,
      userId: lead.userId,
      applicationId: lead.applicationId,
      ownerId: lead.ownerId,
      tags: (lead.tags ?? []).map((tag) => tag.name).sort(),
      createdAt: lead.createdAt.toISOString(),
      updatedAt: lead.updatedAt.toISOString(),
    };
  }
}

export class TagResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;

  static of(tag: LeadTag): TagResponse {
    return { id: tag.id, name: tag.name };
  }
}

export class ActivityResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) leadId: string;
  @ApiProperty({ enum: LeadActivityType }) type: LeadActivityType;
  @ApiProperty() body: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) authorId: string | null;
  @ApiProperty() createdAt: string;

  static of(activity: LeadActivity): ActivityResponse {
    return {
      id: activity.id,
      leadId: activity.leadId,
      type: activity.type,
      body: activity.body,
      authorId: activity.authorId,
      createdAt: activity.createdAt.toISOString(),
    };
  }
}
