import { ConflictError, NotFoundError, RuleViolationError } from '@mas/domain-errors';
import { type User, UserRole } from '@mas/identity';
import { concurrently } from '@mas/testing/concurrently.js';
import { expectDomainError, expectRefusal } from '@mas/testing/domain-errors.js';
import { createLibBatch } from '@mas/testing/lib-catalog.js';
import { type LibModule, startLibModule } from '@mas/testing/lib-module.js';
import { createLibUser, libIdentityModule } from '@mas/testing/lib-users.js';
import { ApplicationsService } from '../applications/applications.service.js';
import { ApplicationStatus, PapStatus as P } from '../entities/application-status.enum.js';
import { LmsModule } from '../lms.module.js';
import { PAP_COURSE_CODE, PapService } from './pap.service.js';

/** MAS-101 pay-after-placement workflows on the LMS module alone. */
describe('PapService (lib integration)', () => {
  let lib: LibModule;
  let pap: PapService;
  let papBatchId: string;
  let otherBatchId: string;

  beforeAll(async () => {
    lib = await startLibModule([libIdentityModule(), LmsModule]);
    pap = lib.context.get(PapService);
    papBatchId = await createLibBatch(lib.context, { code: PAP_COURSE_CODE, price: '0.00' });
    otherBatchId = await createLibBatch(lib.context, { code: 'OTHER-1', price: '100.00' });
  });
  afterAll(() => lib.close());

  /** An application of a new student in `status` (set in SQL: reviews are not under test here). */
  async function application(batchId: string, status: ApplicationStatus) {
    const student = await createLibUser(lib.context, UserRole.Student);
    const { id } = await lib.context.get(ApplicationsService).create({ batchId }, student);
    await lib.database.sql('UPDATE applications SET status = $2 WHERE id = $1', [id, status]);
    return { id, student };
  }
  const papsOf = async (applicationId: string) =>
    (
      await lib.database.sql('SELECT status FROM mas101_pap_workflows WHERE application_id = $1', [
        applicationId,
      ])
    ).rows.map((row) => row.status as P);

  it('opens only for an accepted or enrolled MAS-101 application; a refusal writes nothing', async () => {
    await expectRefusal(
      pap.start('00000000-0000-4000-8000-000000000000'),
      NotFoundError,
      'application not found',
    );
    const other = await application(otherBatchId, ApplicationStatus.Accepted);
    await expectRefusal(
      pap.start(other.id),
      RuleViolationError,
      'pay-after-placement is only for MAS-101 applications',
    );
    for (const status of [ApplicationStatus.UnderReview, ApplicationStatus.Withdrawn]) {
      const early = await application(papBatchId, status);
      await expectRefusal(
        pap.start(early.id),
        RuleViolationError,
        `application is ${status}; it must be accepted or enrolled`,
      );
      expect(await papsOf(early.id)).toEqual([]);
    }
    expect(await papsOf(other.id)).toEqual([]);
    const enrolled = await application(papBatchId, ApplicationStatus.Enrolled);
    await pap.start(enrolled.id);
    expect(await papsOf(enrolled.id)).toEqual([P.Initiated]);
  });

  it('N concurrent starts on one application open exactly one workflow', async () => {
    const { id } = await application(papBatchId, ApplicationStatus.Accepted);
    const { fulfilled, rejected } = await concurrently(
      Array.from({ length: 8 }, () => () => pap.start(id)),
    );
    expect(fulfilled).toHaveLength(1);
    for (const error of rejected)
      expectDomainError(error, ConflictError, 'this application already has a PAP workflow');
    expect(await papsOf(id)).toEqual([P.Initiated]);
  });

  it('follows the MAS-101 lifecycle: cancellable until placed, final once completed or cancelled', async () => {
    const { id } = await application(papBatchId, ApplicationStatus.Accepted);
    const workflow = await pap.start(id);
    for (const status of [P.AgreementSigned, P.InTraining, P.PlacementSearch, P.Placed])
      await pap.changeStatus(workflow.id, status);
    await expectRefusal(
      pap.changeStatus(workflow.id, P.Cancelled),
      ConflictError,
      'PAP workflow is placed; cannot move to cancelled',
    );
    expect(await papsOf(id)).toEqual([P.Placed]);
    await pap.changeStatus(workflow.id, P.Repaying);
    await pap.changeStatus(workflow.id, P.Completed);
    await expectRefusal(
      pap.changeStatus(workflow.id, P.Repaying),
      ConflictError,
      'PAP workflow is completed; cannot move to repaying',
    );

    const cancelled = await pap.start(
      (await application(papBatchId, ApplicationStatus.Enrolled)).id,
    );
    await pap.changeStatus(cancelled.id, P.Cancelled);
    await expect(pap.changeStatus(cancelled.id, P.AgreementSigned)).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it('N concurrent moves from one status: exactly one wins', async () => {
    const { id } = await application(papBatchId, ApplicationStatus.Accepted);
    const workflow = await pap.start(id);
    // agreement_signed -> agreement_signed is refused: only the first of these may pass.
    const moves = Array.from({ length: 6 }, () => P.AgreementSigned);
    const { fulfilled, rejected } = await concurrently(
      moves.map((status) => () => pap.changeStatus(workflow.id, status)),
    );
    expect(fulfilled).toHaveLength(1);
    for (const error of rejected) expect(error).toBeInstanceOf(ConflictError);
    expect(await papsOf(id)).toEqual([P.AgreementSigned]);
  });

  it('is visible with its application only', async () => {
    const { id, student } = await application(papBatchId, ApplicationStatus.Accepted);
    const workflow = await pap.start(id);
    expect((await pap.get(workflow.id, student)).applicationId).toBe(id);
    const outsiders: User[] = [
      await createLibUser(lib.context, UserRole.Student),
      await createLibUser(lib.context, UserRole.Expert),
    ];
    for (const outsider of outsiders)
      await expectRefusal(pap.get(workflow.id, outsider), NotFoundError, 'PAP workflow not found');
  });
});
