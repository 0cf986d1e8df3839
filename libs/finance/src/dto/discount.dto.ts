import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsMoneyString, PageQueryDto, Trim } from '@mas/http';
import { formatMoney } from '@mas/persistence';
import { IsEnum, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { DiscountRequest, DiscountStatus } from '../entities/discount-request.entity.js';

export class CreateDiscountRequestDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() applicationId: string;
  @ApiProperty({ example: '999.00' }) @IsMoneyString() requestedPrice: string;
  @ApiPropertyOptional() @IsOptional() @Trim() @IsString() @MaxLength(1000) note?: string;
}

export class ApproveDiscountDto {
  @ApiProperty({ example: '999.00' }) @IsMoneyString() approvedPrice: string;
}

export class RejectDiscountDto {
  @ApiProperty() @Trim() @IsString() @IsNotEmpty() @MaxLength(1000) note: string;
}

export class DiscountQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: DiscountStatus })
  @IsOptional()
  @IsEnum(DiscountStatus)
  status?: DiscountStatus;
}

export class DiscountResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) applicationId: string;
  @ApiProperty({ example: '999.00' }) requestedPrice: string;
  @ApiProperty({ nullable: true, type: String }) approvedPrice: string | null;
  @ApiProperty({ enum: DiscountStatus }) status: DiscountStatus;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ format: 'uuid' }) requestedById: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) decidedById: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionNote: string | null;
  @ApiProperty() createdAt: string;

  static of(request: DiscountRequest): DiscountResponse {
    return {
      id: request.id,
      applicationId: request.applicationId,
      requestedPrice: formatMoney(request.requestedPrice),
      approvedPrice: request.approvedPrice === null ? null : formatMoney(request.approvedPrice),
      status: request.status,
      note: request.note,
      requestedById: request.requestedById,
      decidedById: request.decidedById,
      decidedAt: request.decidedAt?.toISOString() ?? null,
      decisionNote: request.decisionNote,
      createdAt: request.createdAt.toISOString(),
    };
  }
}

export class DiscountPageResponse {
  @ApiProperty({ type: [DiscountResponse] }) items: DiscountResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
