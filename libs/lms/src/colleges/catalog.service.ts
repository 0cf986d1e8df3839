import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '@mas/domain-errors';
import {
  type Page,
  paginateByKeyset,
  PgCode,
  postgresErrorOf,
  prefixPattern,
  ReplicaReads,
  TransactionRunner,
} from '@mas/persistence';
import { type EntityManager } from 'typeorm';
import { CreateBatchDto, CreateCourseDto } from '../dto/lms.dto.js';
import { Batch } from '../entities/batch.entity.js';
import { College } from '../entities/college.entity.js';
import { Course } from '../entities/course.entity.js';

/** Colleges, courses and batches: the LMS catalogue. */
@Injectable()
export class CatalogService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly reads: ReplicaReads,
  ) {}

  /**
   * Name prefix search, case-insensitive, on the `lower(name) text_pattern_ops` index. The
   * catalogue's lists may be served by a read replica that has replayed the reader's own writes.
   */
  colleges(
    query: { q?: string; limit?: number; cursor?: string },
    readerId: string,
  ): Promise<Page<College>> {
    return this.reads.run(readerId, (manager) => this.collegesOn(manager, query));
  }

  private collegesOn(
    manager: EntityManager,
    query: { q?: string; limit?: number; cursor?: string },
  ): Promise<Page<College>> {
    const colleges = manager.createQueryBuilder(College, 'college');
    if (query.q)
      colleges.where('lower(college.name) LIKE :prefix', {
        prefix: prefixPattern(query.q.toLowerCase()),
      });
    return paginateByKeyset(colleges, query);
  }

  courses(page: { limit?: number; cursor?: string }, readerId: string): Promise<Page<Course>> {
    return this.reads.run(readerId, (manager) =>
      paginateByKeyset(manager.createQueryBuilder(Course, 'course'), page),
    );
  }

  async createCourse(input: CreateCourseDto): Promise<Course> {
    const courses = this.transactions.manager().getRepository(Course);
    try {
      return await courses.save(
        courses.create({ ...input, description: input.description ?? null }),
      );
    } catch (error) {
      if (postgresErrorOf(error)?.code === PgCode.uniqueViolation)
        throw new ConflictError(`course code ${input.code} already exists`);
      throw error;
    }
  }

  batches(
    query: { courseId?: string; limit?: number; cursor?: string },
    readerId: string,
  ): Promise<Page<Batch>> {
    return this.reads.run(readerId, (manager) => {
      const batches = manager.createQueryBuilder(Batch, 'batch');
      if (query.courseId) batches.where('batch.courseId = :courseId', { courseId: query.courseId });
      return paginateByKeyset(batches, query);
    });
  }

  async createBatch(input: CreateBatchDto): Promise<Batch> {
    const manager = this.transactions.manager();
    if (!(await manager.existsBy(Course, { id: input.courseId })))
      throw new NotFoundError('course not found');
    return manager.getRepository(Batch).save(manager.create(Batch, input));
  }
}
