import {
  Body,
  Controller,
  Get,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { AttachmentUpload, RegisterUpload } from '../field-work/field-work-uploads';
import { msg, renderRows } from '../../common/i18n/message';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { validationFailed } from '../../common/errors/domain-error';
import type { UploadedFileOnDisk } from '../../common/http/file-upload.interceptor';
import { uuidParam } from '../../common/http/uuid-param';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';
import { PhotoFormUpload } from '../audits/audit-uploads';
import { AuditSampleService } from '../audits/audit-sample.service';
import { AuditsService } from '../audits/audits.service';
import { ApproveAuditDto, MediaNoticeDto, RejectAuditDto } from '../audits/dto/audit.dto';
import { RecordVisitDto } from '../audits/dto/audit-sample.dto';
import { VisitPhotosService } from '../audits/visit-photos.service';
import { ContractCommandsService } from '../contracts/contract-commands.service';
import { SignContractDto } from '../contracts/dto/contract.dto';
import { IssuePayoutDto } from '../payouts/dto/payout.dto';
import { PayoutsService } from '../payouts/payouts.service';
import { AcceptanceService } from '../acceptance/acceptance.service';
import {
  OpenAcceptanceDto,
  ReviseAcceptanceDto,
  ReworkDto,
  SignAcceptanceDto,
} from '../acceptance/dto/acceptance.dto';
import { Public } from '../auth/access.decorators';
import { DocumentsService } from '../documents/documents.service';
import { DocumentQuery } from '../documents/dto/document-query.dto';
import { AttachmentsService } from '../field-work/attachments.service';
import { ClaimService } from '../field-work/claim.service';
import { AttachmentUploadDto } from '../field-work/dto/register.dto';
import { RegisterImportService } from '../field-work/register-import.service';
import { ResolveObjectionDto, VerifyVillageDto } from '../notices/dto/notice.dto';
import { ObjectionsService } from '../notices/objections.service';
import { VerificationService } from '../notices/verification.service';
import { DeskRoles, DeskSignOff } from './desk-access';
import { DeskExceptionFilter, send } from './desk-exception.filter';
import { asDto, formErrors, formRefusal, list, text } from './desk-forms';
import { DeskPagesService } from './desk-pages.service';
import type { DeskRequest } from './desk-session';
import { DeskSessionGuard } from './desk-session.guard';
import { DeskViews } from './desk-views';
import type { FormState } from './form-state';

const contractId = uuidParam('Contract');

/** `rows[3].verifiedAreaMu` → 3. */
const indexOf = (field: string, name: string): number | undefined => {
  const match = new RegExp(`^${name}\\[(\\d+)\\]`).exec(field);
  return match ? Number(match[1]) : undefined;
};

/** One action of the contract page, as `act` runs it. */
interface DeskForm {
  /** The form's key (its id on the page). */
  key: string;
  /** The service call; answers the `done` key of the 303, or undefined when it rendered itself. */
  run: () => Promise<string | undefined>;
  /** The REST fields the form has inputs for: their names, a renaming, or a function. */
  fields?: readonly string[] | Record<string, string> | ((field: string) => string | undefined);
  /** The input to show again on a refusal. */
  values?: Record<string, unknown>;
}

function fieldMap(fields: DeskForm['fields']): (field: string) => string | undefined {
  if (fields === undefined) return () => undefined;
  if (typeof fields === 'function') return fields;
  if (Array.isArray(fields)) return (field) => (fields.includes(field) ? field : undefined);
  const renamed = fields as Record<string, string>;
  return (field) => (Object.hasOwn(renamed, field) ? renamed[field] : undefined);
}

/**
 * The contract page and its actions. Each action is a thin adapter: the form's fields into the
 * REST route's DTO (validated by the same pipe), the same service call, then 303 back with a
 * message — or the page again with each refusal next to its field, the input kept, and the
 * status the REST route would answer. A double submit is the same command twice: the second
 * finds the state moved on and is refused (409), never applied twice.
 */
@ApiExcludeController()
@Controller('desk/contracts/:id')
@Public()
@UseGuards(DeskSessionGuard)
@UseFilters(DeskExceptionFilter)
export class DeskActionsController {
  constructor(
    private readonly views: DeskViews,
    private readonly pages: DeskPagesService,
    private readonly imports: RegisterImportService,
    private readonly attachments: AttachmentsService,
    private readonly claims: ClaimService,
    private readonly verification: VerificationService,
    private readonly objections: ObjectionsService,
    private readonly acceptance: AcceptanceService,
    private readonly documents: DocumentsService,
    private readonly commands: ContractCommandsService,
    private readonly samples: AuditSampleService,
    private readonly photos: VisitPhotosService,
    private readonly audits: AuditsService,
    private readonly payouts: PayoutsService,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  @Get()
  async page(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', contractId) id: string,
    @Query('done') done?: string,
  ): Promise<void> {
    await this.render(request, response, id, 200, { done: text(done) });
  }

  /**
   * A document from the contract page: the same issue as GET /contracts/:id/documents/:kind —
   * recorded and kept, so the digest in its footer and its QR code verify at
   * /public/documents/:sha256 — for the task line and village the link names.
   */
  @Get('documents/:kind')
  async document(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', contractId) id: string,
    @Param('kind') kind: string,
    @Query() query: DocumentQuery,
  ): Promise<void> {
    const issued = await this.documents.issue(
      request.actor!,
      id,
      kind,
      query,
      this.config.publicBaseUrl,
    );
    // A session's page: finance's payout order shows the bank account in full; keep no copy.
    response.setHeader('Cache-Control', 'no-store');
    await this.documents.send(issued, response);
  }

  @Post('register')
  @DeskRoles('cooperative')
  @UseInterceptors(RegisterUpload)
  async register(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', contractId) id: string,
    @UploadedFile() file: UploadedFileOnDisk | undefined,
  ): Promise<void> {
    await this.act(request, response, id, {
      key: 'register',
      run: async () => {
        if (!file)
          throw validationFailed([{ field: 'file', message: msg('desk.chooseRegisterFile') }]);
        const result = await this.imports.import(
          request.actor!,
          id,
          { path: file.path },
          file.originalName,
        );
        // The result is the page: the accepted count and every rejected row (as the REST 200).
        await this.render(request, response, id, 200, {
          banner: {
            title: `已导入 ${result.accepted} 行`,
            text:
              result.rejected.length > 0
                ? `${result.rejected.length} 行未导入，原因见下表。请改正后重新上传这些行。`
                : '全部行都已导入。',
          },
          rejections: renderRows(result.rejected, 'zh'),
        });
        return undefined;
      },
      fields: ['file'],
    });
  }

  @Post('attachments')
  @DeskRoles('cooperative')
  @UseInterceptors(AttachmentUpload)
  async attachment(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', contractId) id: string,
    @Body() body: Record<string, unknown>,
    @UploadedFile() file: UploadedFileOnDisk | undefined,
  ): Promise<void> {
    await this.act(request, response, id, {
      key: 'attachment',
      run: async () => {
        const dto = await asDto(AttachmentUploadDto, { kind: body.kind });
        if (!file) throw validationFailed([{ field: 'file', message: msg('desk.chooseFile') }]);
        await this.attachments.upload(request.actor!, id, dto.kind, file);
        return 'attachment';
      },
      fields: ['file', 'kind'],
      values: { kind: body.kind },
    });
  }

  @Post('task-lines/:taskCode/claim')
  @DeskRoles('cooperative')
  async claim(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', contractId) id: string,
    @Param('taskCode') taskCode: string,
  ): Promise<void> {
    await this.act(request, response, id, {
      key: `claim-${taskCode}`,
      run: async () => {
        await this.claims.claim(request.actor!, id, taskCode);
        return 'claim';
      },
    });
  }

  @Post('task-lines/:taskCode/villages/:villageCode/verification')
  @DeskRoles('village_verifier', 'admin')
  async verify(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', contractId) id: string,
    @Param('taskCode') taskCode: string,
    @Param('villageCode') villageCode: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const rowIds = list(body.rowId);
    const areas = list(body.verifiedAreaMu);
    const claimed = list(body.claimedAreaMu);
    // Only the rows whose area was changed are sent: the others are verified at their claim.
    const sent = rowIds
      .map((rowId, index) => ({
        rowId,
        verifiedAreaMu: (areas[index] ?? '').trim(),
        claimed: claimed[index],
      }))
      .filter((row) => row.verifiedAreaMu !== row.claimed);
    const values = {
      areas: Object.fromEntries(rowIds.map((rowId, index) => [rowId, areas[index] ?? ''])),
      note: body.note,
      assessmentQuality: body.assessmentQuality,
      assessmentNote: body.assessmentNote,
    };
    // The village's judgement of quality and effect (source report 6.2), when one is chosen.
    const quality = text(body.assessmentQuality);
    const assessmentNote = text(body.assessmentNote);
    await this.act(request, response, id, {
      key: `verify-${taskCode}-${villageCode}`,
      run: async () => {
        const dto = await asDto(VerifyVillageDto, {
          rows: sent.map(({ rowId, verifiedAreaMu }) => ({ rowId, verifiedAreaMu })),
          ...(text(body.note) ? { note: text(body.note) } : {}),
          ...(quality
            ? { assessment: { quality, ...(assessmentNote ? { note: assessmentNote } : {}) } }
            : {}),
        });
        await this.verification.verify(request.actor!, id, taskCode, villageCode, dto);
        return 'verify';
      },
      fields: (field) => {
        const index = indexOf(field, 'rows');
        if (index !== undefined && sent[index]) return `row-${sent[index].rowId}`;
        if (field === 'assessment.quality') return 'assessmentQuality';
        if (field === 'assessment.note') return 'assessmentNote';
        return field === 'note' ? 'note' : undefined;
      },
      values,
    });
  }

  @Post('objections/:objectionId/resolve')
  @DeskRoles('village_verifier', 'district_agri')
  async resolve(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', contractId) id: string,
    @Param('objectionId', uuidParam('Objection')) objectionId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    await this.act(request, response, id, {
      key: `objection-${objectionId}`,
      run: async () => {
        const dto = await asDto(ResolveObjectionDto, { outcome: body.outcome, note: body.note });
        await this.objections.resolveObjection(request.actor!, objectionId, dto);
        return 'objection';
      },
      fields: { note: 'note', outcome: 'note' },
      values: { note: body.note },
    });
  }

  @Post('task-lines/:taskCode/acceptance')
  @DeskRoles('town_acceptor')
  async openAcceptance(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', contractId) id: string,
    @Param('taskCode') taskCode: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const villages = list(body.villageCode);
    const areas = list(body.acceptedAreaMu);
    await this.act(request, response, id, {
      key: `open-${taskCode}`,
      run: async () => {
        const dto = await asDto(OpenAcceptanceDto, {
          villages: villages.map((villageCode, index) => ({
            villageCode,
            acceptedAreaMu: (areas[index] ?? '').trim(),
          })),
          ...(text(body.note) ? { note: text(body.note) } : {}),
        });
        await this.acceptance.open(request.actor!, id, taskCode, dto);
        return 'open';
      },
      fields: (field) => {
        const index = indexOf(field, 'villages');
        if (index !== undefined && villages[index]) return `village-${villages[index]}`;
        return field === 'note' ? 'note' : undefined;
      },
      values: {
        areas: Object.fromEntries(villages.map((code, index) => [code, areas[index] ?? ''])),
        note: body.note,
      },
    });
  }

  @Post('acceptance-records/:recordId/signatures')
  @DeskRoles('town_acceptor')
  async sign(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', contractId) id: string,
    @Param('recordId', uuidParam('Acceptance record')) recordId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    await this.act(request, response, id, {
      key: `sign-${recordId}`,
      run: async () => {
        const dto = await asDto(SignAcceptanceDto, {
          decision: body.decision,
          ...(text(body.note) ? { note: text(body.note) } : {}),
        });
        await this.acceptance.sign(request.actor!, recordId, dto);
        return 'sign';
      },
      fields: { note: 'note', decision: 'note' },
      values: { note: body.note },
    });
  }

  @Post('acceptance-records/:recordId/revise')
  @DeskRoles('town_acceptor')
  async revise(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', contractId) id: string,
    @Param('recordId', uuidParam('Acceptance record')) recordId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const villages = list(body.villageCode);
    const areas = list(body.acceptedAreaMu);
    await this.act(request, response, id, {
      key: `revise-${recordId}`,
      run: async () => {
        const dto = await asDto(ReviseAcceptanceDto, {
          villages: villages.map((villageCode, index) => ({
            villageCode,
            acceptedAreaMu: (areas[index] ?? '').trim(),
          })),
          ...(text(body.note) ? { note: text(body.note) } : {}),
        });
        await this.acceptance.revise(request.actor!, recordId, dto);
        return 'revise';
      },
      fields: (field) => {
        const index = indexOf(field, 'villages');
        if (index !== undefined && villages[index]) return `village-${villages[index]}`;
        return field === 'note' ? 'note' : undefined;
      },
      values: {
        areas: Object.fromEntries(villages.map((code, index) => [code, areas[index] ?? ''])),
        note: body.note,
      },
    });
  }

  @Post('task-lines/:taskCode/rework')
  @DeskRoles('town_acceptor')
  async rework(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', contractId) id: string,
    @Param('taskCode') taskCode: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    await this.act(request, response, id, {
      key: `rework-${taskCode}`,
      run: async () => {
        const dto = await asDto(ReworkDto, { note: body.note });
        await this.acceptance.rework(request.actor!, id, taskCode, dto);
        return 'rework';
      },
      fields: ['note'],
      values: { note: body.note },
    });
  }

  @Post('sign')
  @DeskSignOff('district_agri')
  async signContract(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', contractId) id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const values = { contractNo: body.contractNo, signedOn: body.signedOn };
    await this.act(request, response, id, {
      key: 'contract-sign',
      run: async () => {
        const dto = await asDto(SignContractDto, values);
        await this.commands.sign(request.actor!, id, dto, undefined);
        return 'contractSigned';
      },
      fields: ['contractNo', 'signedOn'],
      values,
    });
  }

  @Post('audit/sample')
  @DeskSignOff('district_agri', 'district_finance')
  async drawSample(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', contractId) id: string,
  ): Promise<void> {
    await this.act(request, response, id, {
      key: 'audit-sample',
      run: async () => {
        await this.samples.draw(request.actor!, id);
        return 'sampleDrawn';
      },
    });
  }

  /**
   * A sampled row's visit with its photo (a phone's camera): the photo is checked by the upload
   * (JPEG or PNG, its size) before anything is written, then the visit and the photo are kept.
   */
  @Post('audit-samples/:sampleId/visits')
  @DeskSignOff('district_agri', 'district_finance')
  @UseInterceptors(PhotoFormUpload)
  async visit(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', contractId) id: string,
    @Param('sampleId', uuidParam('Audit sample')) sampleId: string,
    @Body() body: Record<string, unknown>,
    @UploadedFile() file: UploadedFileOnDisk | undefined,
  ): Promise<void> {
    const values = {
      visitedOn: body.visitedOn,
      method: body.method,
      householdConfirms: body.householdConfirms,
      observedAreaMu: body.observedAreaMu,
      satisfaction: body.satisfaction,
      note: body.note,
    };
    const confirms = text(body.householdConfirms);
    await this.act(request, response, id, {
      key: `visit-${text(body.rowId) ?? ''}`,
      run: async () => {
        const dto = await asDto(RecordVisitDto, {
          rowId: body.rowId,
          visitedOn: text(body.visitedOn),
          method: body.method,
          householdConfirms: confirms === 'true' ? true : confirms === 'false' ? false : confirms,
          observedAreaMu: text(body.observedAreaMu),
          ...(text(body.satisfaction) ? { satisfaction: text(body.satisfaction) } : {}),
          ...(text(body.note) ? { note: text(body.note) } : {}),
        });
        if (!file) throw validationFailed([{ field: 'file', message: msg('desk.chooseFile') }]);
        const visit = await this.samples.recordVisit(request.actor!, sampleId, dto);
        await this.photos.upload(request.actor!, visit.id, file);
        return 'visited';
      },
      fields: [
        'visitedOn',
        'method',
        'householdConfirms',
        'observedAreaMu',
        'satisfaction',
        'note',
        'file',
      ],
      values,
    });
  }

  /** 审核通过 / 审核驳回: one form, two buttons (the REST routes approvals and reject). */
  @Post('audit')
  @DeskSignOff('district_agri', 'district_finance')
  async audit(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', contractId) id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    await this.act(request, response, id, {
      key: 'audit',
      run: async () => {
        if (body.decision === 'reject') {
          const dto = await asDto(RejectAuditDto, { note: body.note });
          await this.audits.reject(request.actor!, id, dto);
          return 'auditRejected';
        }
        const dto = await asDto(ApproveAuditDto, text(body.note) ? { note: text(body.note) } : {});
        await this.audits.approve(request.actor!, id, dto);
        return 'auditApproved';
      },
      fields: ['note'],
      values: { note: body.note },
    });
  }

  @Post('media-notice')
  @DeskSignOff('district_agri')
  async mediaNotice(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', contractId) id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const values = { mediaName: body.mediaName, publishedOn: body.publishedOn };
    await this.act(request, response, id, {
      key: 'media-notice',
      run: async () => {
        const dto = await asDto(MediaNoticeDto, values);
        await this.audits.openMediaNotice(request.actor!, id, dto);
        return 'mediaNoticeOpened';
      },
      fields: ['mediaName', 'publishedOn'],
      values,
    });
  }

  /**
   * 发放补助: the form carries the idempotency key it was rendered with, so a double submit (or a
   * reload of the answer) is the same request twice and pays once.
   */
  @Post('payouts')
  @DeskSignOff('district_finance')
  async payout(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', contractId) id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    await this.act(request, response, id, {
      key: 'payout',
      run: async () => {
        const dto = await asDto(IssuePayoutDto, text(body.note) ? { note: text(body.note) } : {});
        const key = typeof body.idempotencyKey === 'string' ? body.idempotencyKey : undefined;
        await this.payouts.issue(request.actor!, id, key, dto);
        return 'payout';
      },
      fields: { note: 'note', 'Idempotency-Key': 'note' },
      values: { note: body.note },
    });
  }

  /**
   * Runs an action: on success 303 back to the contract page with `done` (or the page the action
   * rendered itself); on a refusal the page again with the form's errors, at the REST status.
   */
  private async act(
    request: DeskRequest,
    response: Response,
    id: string,
    form: DeskForm,
  ): Promise<void> {
    try {
      const done = await form.run();
      if (done) response.redirect(303, `/desk/contracts/${id}?done=${done}`);
    } catch (error) {
      if (!formRefusal(error)) throw error;
      const { errors, fieldErrors } = formErrors(error, form.key, fieldMap(form.fields));
      await this.render(request, response, id, error.status, {
        form: form.key,
        errors,
        fieldErrors,
        values: form.values ?? {},
      });
    }
  }

  private async render(
    request: DeskRequest,
    response: Response,
    id: string,
    status: number,
    state: FormState,
  ): Promise<void> {
    const session = { actor: request.actor!, csrf: request.deskFormToken ?? '' };
    const model = await this.pages.contract(session.actor, id, { ...state, csrf: session.csrf });
    send(response, status, this.views.render('contract', model, session));
  }
}
