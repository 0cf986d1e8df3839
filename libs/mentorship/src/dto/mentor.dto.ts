import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto, Trim } from '@mas/http';
import {
  ArrayMaxSize,
  IsArray,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { MentorProfile } from '../entities/mentor-profile.entity.js';

export class UpsertMentorProfileDto {
  @ApiProperty() @Trim() @IsString() @IsNotEmpty() @MaxLength(200) headline: string;

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(60, { each: true })
  expertise: string[];

  @ApiPropertyOptional() @IsOptional() @Trim() @IsString() @MaxLength(5000) bio?: string;
}

export class ListMentorsQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'headline prefix, case-insensitive' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class MentorProfileResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() headline: string;
  @ApiProperty({ type: [String] }) expertise: string[];
  @ApiProperty({ nullable: true, type: String }) bio: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(profile: MentorProfile): MentorProfileResponse {
    return {
      id: profile.id,
      userId: profile.userId,
      headline: profile.headline,
      expertise: profile.expertise,
      bio: profile.bio,
      createdAt: profile.createdAt.toISOString(),
      updatedAt: profile.updatedAt.toISOString(),
    };
  }
}

export class MentorPageResponse {
  @ApiProperty({ type: [MentorProfileResponse] }) items: MentorProfileResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
