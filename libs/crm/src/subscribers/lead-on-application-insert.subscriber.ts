import { Injectable } from '@nestjs/common';
import { User } from '@mas/identity';
import { Application } from '@mas/lms';
import { DataSource, type EntitySubscriberInterface, type InsertEvent } from 'typeorm';

/**
 * A new application creates a CRM lead for its student, in the same transaction (`event.manager`):
 * if the lead cannot be written, the application is rolled back too. A lead that already exists for
 * the student is kept (one that matches only by email gets linked to the student instead).
 */
@Injectable()
export class LeadOnApplicationInsert implements EntitySubscriberInterface<Application> {
  constructor(dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  listenTo() {
    return Application;
  }

  async afterInsert({ entity: application, manager }: InsertEvent<Application>): Promise<void> {
    const student = await manager.findOneByOrFail(User, { id: application.userId });
    // For UPDATE, TypeORM's postgres driver answers [rows, rowCount].
    const [linked] = await manager.query<[unknown[], number]>(
      `UPDATE mas_crm.leads SET user_id = $1, application_id = coalesce(application_id, $2), updated_at = now()
        WHERE id = (SELECT id FROM mas_crm.leads WHERE user_id = $1 OR (user_id IS NULL AND email = $3)
                     ORDER BY (user_id = $1) DESC NULLS LAST, created_at LIMIT 1)
        RETURNING id`,
      [student.id, application.id, student.email],
    );
    if (linked.length) return;
    await manager.query(
      `INSERT INTO mas_crm.leads (full_name, email, source, status, platform, user_id, application_id)
       VALUES ($1, $2, 'application', 'active', 'lms', $3, $4)
       ON CONFLICT DO NOTHING`,
      [student.fullName, student.email, student.id, application.id],
    );
  }
}
