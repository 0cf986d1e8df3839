import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { User } from '@mas/identity';
import { PageQueryDto } from '@mas/http';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsUUID,
  Max,
  Min,
  MinDate,
  Validate,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { MeetingStatus } from '../entities/meeting-status.enum.js';
import { Slot } from '../entities/slot.entity.js';
import { STUDENT_ID_VISIBILITY, studentIdVisibleTo } from '../slots/slot-privacy.js';

@ValidatorConstraint({ name: 'isAfterStartsAt' })
class IsAfterStartsAt implements ValidatorConstraintInterface {
  validate(endsAt: unknown, { object }: ValidationArguments): boolean {
    const { startsAt } = object as { startsAt?: unknown };
    return (
      endsAt instanceof Date && startsAt instanceof Date && endsAt.getTime() > startsAt.getTime()
    );
  }

  defaultMessage(): string {
    return 'endsAt must be after startsAt';
  }
}

export class CreateSlotDto {
  @ApiProperty({ format: 'date-time' })
  @Type(() => Date)
  @IsDate()
  @MinDate(() => new Date(), { message: 'startsAt must be in the future' })
  startsAt: Date;

  @ApiProperty({ format: 'date-time' })
  @Type(() => Date)
  @IsDate()
  @Validate(IsAfterStartsAt)
  endsAt: Date;

  @ApiProperty({ minimum: 1, maximum: 10_000 })
  @IsInt()
  @Min(1)
  @Max(10_000)
  priceTokens: number;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'admins create slots for an expert; experts for themselves',
  })
  @IsOptional()
  @IsUUID()
  mentorId?: string;
}

export class ListSlotsQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() mentorId?: string;
  @ApiPropertyOptional({ enum: MeetingStatus })
  @IsOptional()
  @IsEnum(MeetingStatus)
  status?: MeetingStatus;
  @ApiPropertyOptional({ format: 'date-time', description: 'slots starting at or after' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ format: 'date-time', description: 'slots starting before' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

  @ApiPropertyOptional({ description: 'only upcoming tentative slots' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  available?: boolean;
}

export class SlotResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) mentorId: string;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: STUDENT_ID_VISIBILITY,
  })
  studentId: string | null;
  @ApiProperty() startsAt: string;
  @ApiProperty() endsAt: string;
  @ApiProperty({ enum: MeetingStatus }) status: MeetingStatus;
  @ApiProperty() priceTokens: number;
  @ApiProperty({ description: 'tentative and not yet started' }) isAvailable: boolean;
  @ApiProperty() earningsCredited: boolean;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  /** The slot as `viewer` may see it (see `studentId`). */
  static of(slot: Slot, viewer: User, now = Date.now()): SlotResponse {
    return {
      id: slot.id,
      mentorId: slot.mentorId,
      studentId: studentIdVisibleTo(slot, viewer),
      startsAt: slot.startsAt.toISOString(),
      endsAt: slot.endsAt.toISOString(),
      status: slot.status,
      priceTokens: slot.priceTokens,
      isAvailable: slot.status === MeetingStatus.Tentative && slot.startsAt.getTime() > now,
      earningsCredited: slot.earningsCredited,
      createdAt: slot.createdAt.toISOString(),
      updatedAt: slot.updatedAt.toISOString(),
    };
  }
}

export class SlotPageResponse {
  @ApiProperty({ type: [SlotResponse] }) items: SlotResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
