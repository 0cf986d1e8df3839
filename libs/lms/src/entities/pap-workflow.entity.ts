import { BaseEntity } from '@mas/persistence';
import { Column, Entity, JoinColumn, OneToOne, type Relation } from 'typeorm';
import { PapStatus } from './application-status.enum.js';
import { Application } from './application.entity.js';

/** The MAS-101 pay-after-placement workflow of one application. */
@Entity({ name: 'mas101_pap_workflows' })
export class PapWorkflow extends BaseEntity {
  @Column({ type: 'uuid' })
  applicationId: string;

  @OneToOne(() => Application, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'application_id' })
  application?: Relation<Application>;

  @Column({ type: 'enum', enum: PapStatus, enumName: 'pap_status', default: PapStatus.Initiated })
  status: PapStatus;
}
