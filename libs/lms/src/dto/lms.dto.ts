import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsMoneyString, PageQueryDto, Trim } from '@mas/http';
import { formatMoney } from '@mas/persistence';
import {
  IsDateString,
  IsEnum,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ApplicationStatus, PapStatus } from '../entities/application-status.enum.js';
import { Application } from '../entities/application.entity.js';
import { Batch } from '../entities/batch.entity.js';
import { College } from '../entities/college.entity.js';
import { Course } from '../entities/course.entity.js';
import { PapWorkflow } from '../entities/pap-workflow.entity.js';

export class SearchQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'name prefix, case-insensitive' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class CollegeResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() city: string;
  @ApiProperty() state: string;

  static of(college: College): CollegeResponse {
    return { id: college.id, name: college.name, city: college.city, state: college.state };
  }
}

export class CreateCourseDto {
  @ApiProperty({ example: 'MAS-101' })
  @Trim()
  @Matches(/^[A-Z0-9][A-Z0-9-]{1,29}$/, {
    message: 'code must be 2-30 upper-case letters, digits or dashes',
  })
  code: string;

  @ApiProperty() @Trim() @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) description?: string;
  @ApiProperty({ example: '1499.00' }) @IsMoneyString() price: string;
}

export class CourseResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ example: '1499.00' }) price: string;
  @ApiProperty() createdAt: string;

  static of(course: Course): CourseResponse {
    return {
      id: course.id,
      code: course.code,
      title: course.title,
      description: course.description,
      price: formatMoney(course.price),
      createdAt: course.createdAt.toISOString(),
    };
  }
}

export class CreateBatchDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() courseId: string;
  @ApiProperty() @Trim() @IsString() @IsNotEmpty() @MaxLength(150) name: string;
  @ApiProperty({ example: '2027-01-15' })
  @IsDateString({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'startsOn must be a date (YYYY-MM-DD)' })
  startsOn: string;
  @ApiProperty({ minimum: 1, maximum: 100000 }) @IsInt() @Min(1) @Max(100000) capacity: number;
  @ApiProperty({ example: '1499.00' }) @IsMoneyString() price: string;
}

export class ListBatchesQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() courseId?: string;
}

export class BatchResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) courseId: string;
  @ApiProperty() name: string;
  @ApiProperty() startsOn: string;
  @ApiProperty() capacity: number;
  @ApiProperty({ example: '1499.00' }) price: string;
  @ApiProperty() createdAt: string;

  static of(batch: Batch): BatchResponse {
    return {
      id: batch.id,
      courseId: batch.courseId,
      name: batch.name,
      startsOn: batch.startsOn,
      capacity: batch.capacity,
      price: formatMoney(batch.price),
      createdAt: batch.createdAt.toISOString(),
    };
  }
}

export class CreateApplicationDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() batchId: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() collegeId?: string;
  @ApiPropertyOptional({ type: Object }) @IsOptional() @IsObject() extraData?: Record<
    string,
    unknown
  >;
}

export class ListApplicationsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: ApplicationStatus })
  @IsOptional()
  @IsEnum(ApplicationStatus)
  status?: ApplicationStatus;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() batchId?: string;
}

export class UpdateApplicationStatusDto {
  @ApiProperty({ enum: ApplicationStatus }) @IsEnum(ApplicationStatus) status: ApplicationStatus;
}

export class ApplicationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ format: 'uuid' }) batchId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) collegeId: string | null;
  @ApiProperty({ enum: ApplicationStatus }) status: ApplicationStatus;
  @ApiProperty({ example: '1499.00' }) finalAmount: string;
  @ApiProperty({ nullable: true, type: Object }) extraData: Record<string, unknown> | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(application: Application): ApplicationResponse {
    return {
      id: application.id,
      userId: application.userId,
      batchId: application.batchId,
      collegeId: application.collegeId,
      status: application.status,
      finalAmount: formatMoney(application.finalAmount),
      extraData: application.extraData,
      createdAt: application.createdAt.toISOString(),
      updatedAt: application.updatedAt.toISOString(),
    };
  }
}

export class UpdatePapDto {
  @ApiProperty({ enum: PapStatus }) @IsEnum(PapStatus) status: PapStatus;
}

export class PapResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) applicationId: string;
  @ApiProperty({ enum: PapStatus }) status: PapStatus;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(pap: PapWorkflow): PapResponse {
    return {
      id: pap.id,
      applicationId: pap.applicationId,
      status: pap.status,
      createdAt: pap.createdAt.toISOString(),
      updatedAt: pap.updatedAt.toISOString(),
    };
  }
}
