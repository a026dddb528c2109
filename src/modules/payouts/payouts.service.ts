import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError, notFound, validationFailed } from '../../common/errors/domain-error';
import { canonicalJson } from '../../common/values/canonical-json';
import { formatYuan } from '../../common/values/decimal-units';
import type { Actor } from '../auth/actor';
import { assertInScope } from '../auth/scope-policy';
import { contractScope, loadContractInScope } from '../contracts/contract-scope';
import { disclose } from '../auth/disclosure-policy';
import { ContractWorkflowService } from '../contracts/contract-workflow.service';
import { DirectoryService } from '../organisations/directory.service';
import { Organisation } from '../organisations/organisation.entity';
import { SubsidyPolicy } from '../policies/policy.entity';
import type { Page } from '../../common/http/page.dto';
import { markBatchesReconciled } from './batch-reconciliation';
import type {
  ConfirmPayoutDto,
  FailPayoutDto,
  IssuePayoutDto,
  ListPayoutsQuery,
  PayoutDto,
} from './dto/payout.dto';
import { AfterPayoutCommit, PayoutKeyClaims } from './payout-key-claims';
import { IdempotencyKey, Payout } from './payout.entity';
import { payoutError } from './payouts.errors';
import { msg } from '../../common/i18n/message';

export function toPayoutDto(payout: Payout): PayoutDto {
  return {
    id: payout.id,
    payoutNo: payout.payoutNo,
    contractId: payout.contractId,
    amountFen: payout.amountFen,
    amountYuan: formatYuan(payout.amountFen),
    state: payout.state,
    payee: {
      name: payout.payeeName,
      bankName: payout.bankName,
      bankAccountName: payout.bankAccountName,
      bankAccountNo: payout.bankAccountNo,
    },
    bankReference: payout.bankReference,
    issuedAt: payout.issuedAt.toISOString(),
  };
}

/**
 * The payout as this viewer may see it: the payee's account through the disclosure policy (it is
 * paid in the payout's district).
 */
function forViewer(
  viewer: Actor,
  payout: Payout,
  dto: PayoutDto,
  organisationId?: string,
): PayoutDto {
  const bankAccountNo = disclose(viewer, 'bankAccount', dto.payee.bankAccountNo, {
    organisationId,
    districtCodes: [payout.districtCode],
  });
  return { ...dto, payee: { ...dto.payee, bankAccountNo } };
}

export interface StoredAnswer {
  status: number;
  body: PayoutDto;
}

const KEY = /^[\x21-\x7e]{1,200}$/;

/** What recording the bank's answer for a payout did. */
export type BankOutcome =
  | { result: 'applied' }
  /** The payout already had this very outcome (a re-upload, an overlapping file). */
  | { result: 'same' }
  /** The payout already had another outcome; nothing changed. */
  | { result: 'other'; state: string };

/**
 * The payout the finance bureau triggers (资金拨付), idempotent: the key is claimed with
 * INSERT … ON CONFLICT in the payout's own transaction, so 100 retries with one key wait for the
 * first and get its answer, and 100 keys race on the contract's row lock and the unique live-payout
 * index: one payout, 99 × PAYOUT_EXISTS.
 */
@Injectable()
export class PayoutsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly workflow: ContractWorkflowService,
    private readonly directory: DirectoryService,
    @Inject(Clock) private readonly clock: Clock,
    private readonly keyClaims: PayoutKeyClaims,
    private readonly afterCommit: AfterPayoutCommit,
  ) {}

  async issue(
    actor: Actor,
    contractId: string,
    key: string | undefined,
    dto: IssuePayoutDto,
  ): Promise<StoredAnswer> {
    if (key === undefined || key === '') {
      throw payoutError('IDEMPOTENCY_KEY_MISSING', msg('payout.idempotencyKeyMissing'));
    }
    if (!KEY.test(key))
      throw validationFailed([
        { field: 'Idempotency-Key', message: msg('payout.idempotencyKeyShape') },
      ]);
    const scope = `${actor.id}:${contractId}`;
    const digest = createHash('sha256')
      .update(canonicalJson({ contractId, ...dto }))
      .digest('hex');

    const claim = { scope, key, requestSha256: digest, at: this.clock.now() };
    const { answer, fresh } = await this.dataSource.transaction(async (manager) => {
      const replay = async () => {
        const stored = await manager.findOneByOrFail(IdempotencyKey, { scope, key });
        if (stored.requestSha256 !== digest) {
          throw payoutError('IDEMPOTENCY_KEY_REUSED', msg('payout.idempotencyKeyReused'));
        }
        const body = JSON.parse(stored.responseBody) as PayoutDto;
        return { answer: { status: stored.responseStatus, body }, fresh: false };
      };
      // The first request with this key has committed (ON CONFLICT waited for it): replay it.
      if (!(await this.keyClaims.claim(manager, claim))) return replay();

      const payoutId = randomUUID();
      await this.workflow.execute(
        {
          contractId,
          actor,
          prepare: async ({ manager: tx, contract, current, now, write }) => {
            assertInScope(actor, contractScope(contract), 'Contract', contractId);
            // Facts for the machine, which decides (payoutRefusal; PAYOUT_EXISTS while its
            // payout is issued or confirmed, payoutExistsRefusal): who issues it, whether the
            // provider is eligible today under the contract's pinned policy, and the amount.
            const organisation = await tx.findOneByOrFail(Organisation, {
              id: contract.organisationId,
            });
            const policy = contract.policyId
              ? await tx.findOneByOrFail(SubsidyPolicy, { id: contract.policyId })
              : null;
            const eligibility = await this.directory.eligibilityToday(
              tx,
              contract.organisationId,
              policy,
            );
            const amountFen = current.context.subsidyFen ?? 0;
            // Written only if the machine accepts the event: the number is drawn then too.
            write({
              sql: `INSERT INTO payout (id, payout_no, contract_id, district_code, amount_fen, state,
                      payee_name, bank_name, bank_account_name, bank_account_no, idempotency_key,
                      issued_by, issued_at)
                    VALUES ($1, 'BF' || $3::varchar || '-' || lpad(nextval('payout_no_seq')::text, 8, '0'),
                      $2, $3, $4, 'issued', $5, $6, $7, $8, $9, $10, $11)`,
              params: [
                payoutId,
                contractId,
                contract.districtCode,
                amountFen,
                organisation.name,
                organisation.bankName,
                organisation.bankAccountName,
                organisation.bankAccountNo,
                key,
                actor.id,
                now,
              ],
            });
            return {
              type: 'payout.issued' as const,
              payoutId,
              amountFen,
              issuerId: actor.id,
              providerEligible: eligibility.eligible,
              ...(eligibility.eligible ? {} : { providerReason: eligibility.reason }),
            };
          },
        },
        manager,
      );
      const payout = await manager.findOneByOrFail(Payout, { id: payoutId });
      const body = toPayoutDto(payout);
      const stored = { responseStatus: 201, responseBody: body as never };
      await this.keyClaims.store(manager, claim, stored);
      return { answer: { status: 201, body }, fresh: true };
    });
    if (fresh) this.afterCommit.payoutCommitted(answer.body.id);
    return answer;
  }

  async confirm(actor: Actor, payoutId: string, dto: ConfirmPayoutDto): Promise<PayoutDto> {
    return this.settle(actor, payoutId, 'confirmed', { bankReference: dto.bankReference });
  }

  async fail(actor: Actor, payoutId: string, dto: FailPayoutDto): Promise<PayoutDto> {
    return this.settle(actor, payoutId, 'failed', { failureReason: dto.reason });
  }

  /**
   * The district's payouts, newest first, for the finance bureau (which confirms them), the
   * agriculture committee and observers; all of them for the administrator. Accounts masked
   * outside finance.
   */
  async list(actor: Actor, query: ListPayoutsQuery): Promise<Page<PayoutDto>> {
    const [payouts, total] = await this.dataSource.getRepository(Payout).findAndCount({
      where: {
        ...(actor.role === 'admin' ? {} : { districtCode: actor.districtCode ?? '' }),
        ...(query.state ? { state: query.state } : {}),
        ...(query.contractId ? { contractId: query.contractId } : {}),
      },
      order: { issuedAt: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return {
      // Cooperatives do not list payouts: no viewer here is the payee.
      items: payouts.map((payout) => forViewer(actor, payout, toPayoutDto(payout))),
      total,
    };
  }

  /** Anyone in the contract's scope; the payee's account in full only for finance and the payee. */
  async get(actor: Actor, payoutId: string): Promise<PayoutDto> {
    const payout = await this.dataSource.getRepository(Payout).findOneBy({ id: payoutId });
    if (!payout) throw notFound('Payout', payoutId);
    const contract = await loadContractInScope(this.dataSource.manager, actor, payout.contractId, {
      what: 'Payout',
      id: payout.id,
    });
    return forViewer(actor, payout, toPayoutDto(payout), contract.organisationId);
  }

  /**
   * The bank's answer for one payout of a payment batch (one row of its result file): one
   * workflow command, in its own transaction. Under the contract's row lock the payout is read
   * again: issued → confirmed or failed; already with this very outcome → `same` (nothing
   * written); with another → `other`. Two result files racing on a payout therefore never
   * confirm it twice, nor confirm and fail it. The caller has checked the batch's scope.
   */
  async recordBankAnswer(
    actor: Actor,
    payout: Pick<Payout, 'id' | 'contractId'>,
    outcome: 'confirmed' | 'failed',
    details: { bankReference?: string; failureReason?: string },
  ): Promise<BankOutcome> {
    try {
      await this.settleInWorkflow(actor, payout.contractId, payout.id, outcome, details, true);
      return { result: 'applied' };
    } catch (error) {
      // The machine refused: the payout is no longer its contract's issued one (isCurrentPayout).
      // What the row says is only reported: this very outcome again, or another.
      if (!(error instanceof DomainError && error.code === 'INVALID_TRANSITION')) throw error;
      const stored = await this.dataSource.manager.findOneByOrFail(Payout, { id: payout.id });
      const same =
        stored.state === outcome &&
        (outcome === 'confirmed'
          ? stored.bankReference === (details.bankReference ?? null)
          : stored.failureReason === (details.failureReason ?? null));
      return same ? { result: 'same' } : { result: 'other', state: stored.state };
    }
  }

  private async settle(
    actor: Actor,
    payoutId: string,
    outcome: 'confirmed' | 'failed',
    details: { bankReference?: string; failureReason?: string },
  ): Promise<PayoutDto> {
    const found = await this.dataSource.getRepository(Payout).findOneBy({ id: payoutId });
    if (!found) throw notFound('Payout', payoutId);
    await loadContractInScope(this.dataSource.manager, actor, found.contractId, {
      what: 'Payout',
      id: found.id,
    });
    const settled = await this.settleInWorkflow(
      actor,
      found.contractId,
      payoutId,
      outcome,
      details,
      false,
    );
    return toPayoutDto(settled);
  }

  private async settleInWorkflow(
    actor: Actor,
    contractId: string,
    payoutId: string,
    outcome: 'confirmed' | 'failed',
    details: { bankReference?: string; failureReason?: string },
    fromBank: boolean,
  ): Promise<Payout> {
    let settled: Payout | undefined;
    await this.workflow.execute({
      contractId,
      actor,
      prepare: async ({ manager, now }) => {
        // Whether this payout may be settled is the machine's (isCurrentPayout: the contract's
        // issued payout); the row is read for the answer.
        const payout = await manager.findOneByOrFail(Payout, { id: payoutId });
        const changes =
          outcome === 'confirmed'
            ? { state: outcome, bankReference: details.bankReference ?? null, confirmedAt: now }
            : { state: outcome, failureReason: details.failureReason ?? null, failedAt: now };
        settled = { ...payout, ...changes };
        // The machine's effect (payout.confirm / payout.fail) writes the payout in the
        // transition's save, only if it accepts the event (this payout is the contract's current one).
        return outcome === 'confirmed'
          ? {
              type: 'payout.confirmed' as const,
              payoutId,
              ...(details.bankReference ? { bankReference: details.bankReference } : {}),
            }
          : {
              type: 'payout.failed' as const,
              payoutId,
              ...(details.failureReason ? { failureReason: details.failureReason } : {}),
            };
      },
    });
    // After the commit, so that the last of two racing settles sees the other's (see there). A
    // result file closes its batch once, after all its rows.
    if (!fromBank)
      await markBatchesReconciled(this.dataSource.manager, [payoutId], this.clock.now());
    return settled as Payout;
  }
}
