import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto, Trim } from '@mas/http';
import {
  IsEnum,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { AllotmentRequest, AllotmentStatus } from '../entities/allotment-request.entity.js';
import { TokenUsage, TokenUsageType } from '../entities/token-usage.entity.js';
import { TokenWallet } from '../entities/token-wallet.entity.js';

export class WalletResponse {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() balance: number;

  static of(wallet: TokenWallet): WalletResponse {
    return { userId: wallet.userId, balance: wallet.balance };
  }
}

export class LedgerQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'admin only; defaults to the caller' })
  @IsOptional()
  @IsUUID()
  userId?: string;
}

export class LedgerEntryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ enum: TokenUsageType }) usageType: TokenUsageType;
  @ApiProperty() delta: number;
  @ApiProperty() balanceBefore: number;
  @ApiProperty() balanceAfter: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) slotId: string | null;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty() createdAt: string;

  static of(entry: TokenUsage): LedgerEntryResponse {
    return {
      id: entry.id,
      userId: entry.userId,
      usageType: entry.usageType,
      delta: entry.delta,
      balanceBefore: entry.balanceBefore,
      balanceAfter: entry.balanceAfter,
      slotId: entry.slotId,
      note: entry.note,
      createdAt: entry.createdAt.toISOString(),
    };
  }
}

export class LedgerPageResponse {
  @ApiProperty({ type: [LedgerEntryResponse] }) items: LedgerEntryResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class CreateAllotmentDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId: string;
  @ApiProperty({ minimum: 1, maximum: 1_000_000 }) @IsInt() @Min(1) @Max(1_000_000) tokens: number;

  @ApiProperty()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

export class RejectDto {
  @ApiProperty()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  note: string;
}

export class AllotmentQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: AllotmentStatus })
  @IsOptional()
  @IsEnum(AllotmentStatus)
  status?: AllotmentStatus;
}

export class AllotmentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() tokens: number;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: AllotmentStatus }) status: AllotmentStatus;
  @ApiProperty({ format: 'uuid' }) requestedById: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) decidedById: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionNote: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(request: AllotmentRequest): AllotmentResponse {
    return {
      id: request.id,
      userId: request.userId,
      tokens: request.tokens,
      reason: request.reason,
      status: request.status,
      requestedById: request.requestedById,
      decidedById: request.decidedById,
      decidedAt: request.decidedAt?.toISOString() ?? null,
      decisionNote: request.decisionNote,
      createdAt: request.createdAt.toISOString(),
      updatedAt: request.updatedAt.toISOString(),
    };
  }
}

export class AllotmentPageResponse {
  @ApiProperty({ type: [AllotmentResponse] }) items: AllotmentResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
