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
import { DomainError, validationFailed } from '../../common/errors/domain-error';
import type { UploadedFileOnDisk } from '../../common/http/file-upload.interceptor';
import { uuidParam } from '../../common/http/uuid-param';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';
import { AcceptanceService } from '../acceptance/acceptance.service';
import {
  OpenAcceptanceDto,
  ReviseAcceptanceDto,
  ReworkDto,
  SignAcceptanceDto,
} from '../acceptance/dto/acceptance.dto';
import { Public } from '../auth/access.decorators';
import { DocumentsService } from '../documents/documents.service';
import { AttachmentsService } from '../field-work/attachments.service';
import { ClaimService } from '../field-work/claim.service';
import { AttachmentUploadDto } from '../field-work/dto/register.dto';
import { RegisterImportService } from '../field-work/register-import.service';
import { ResolveObjectionDto, VerifyVillageDto } from '../notices/dto/notice.dto';
import { ObjectionsService } from '../notices/objections.service';
import { VerificationService } from '../notices/verification.service';
import { DeskRoles } from './desk-access';
import { DeskExceptionFilter, send } from './desk-exception.filter';
import { asDto, formErrors, list, text } from './desk-forms';
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

  @Get('documents/:kind')
  async document(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', contractId) id: string,
    @Param('kind') kind: string,
  ): Promise<void> {
    const prepared = await this.documents.prepare(
      request.actor!,
      id,
      kind,
      {},
      this.config.publicBaseUrl,
    );
    response.setHeader('Content-Type', 'application/pdf');
    response.setHeader('Content-Disposition', `inline; filename="${prepared.fileName}"`);
    await prepared.render(response);
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
    await this.act(
      request,
      response,
      id,
      'register',
      async () => {
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
      (field) => (field === 'file' ? 'file' : undefined),
    );
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
    await this.act(
      request,
      response,
      id,
      'attachment',
      async () => {
        const dto = await asDto(AttachmentUploadDto, { kind: body.kind });
        if (!file) throw validationFailed([{ field: 'file', message: msg('desk.chooseFile') }]);
        await this.attachments.upload(request.actor!, id, dto.kind, file);
        return 'attachment';
      },
      (field) => (field === 'file' || field === 'kind' ? field : undefined),
      { kind: body.kind },
    );
  }

  @Post('task-lines/:taskCode/claim')
  @DeskRoles('cooperative')
  async claim(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', contractId) id: string,
    @Param('taskCode') taskCode: string,
  ): Promise<void> {
    await this.act(request, response, id, `claim-${taskCode}`, async () => {
      await this.claims.claim(request.actor!, id, taskCode);
      return 'claim';
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
    await this.act(
      request,
      response,
      id,
      `verify-${taskCode}-${villageCode}`,
      async () => {
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
      (field) => {
        const index = indexOf(field, 'rows');
        if (index !== undefined && sent[index]) return `row-${sent[index].rowId}`;
        if (field === 'assessment.quality') return 'assessmentQuality';
        if (field === 'assessment.note') return 'assessmentNote';
        return field === 'note' ? 'note' : undefined;
      },
      values,
    );
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
    await this.act(
      request,
      response,
      id,
      `objection-${objectionId}`,
      async () => {
        const dto = await asDto(ResolveObjectionDto, { outcome: body.outcome, note: body.note });
        await this.objections.resolveObjection(request.actor!, objectionId, dto);
        return 'objection';
      },
      (field) => (field === 'note' || field === 'outcome' ? 'note' : undefined),
      { note: body.note },
    );
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
    await this.act(
      request,
      response,
      id,
      `open-${taskCode}`,
      async () => {
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
      (field) => {
        const index = indexOf(field, 'villages');
        if (index !== undefined && villages[index]) return `village-${villages[index]}`;
        return field === 'note' ? 'note' : undefined;
      },
      {
        areas: Object.fromEntries(villages.map((code, index) => [code, areas[index] ?? ''])),
        note: body.note,
      },
    );
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
    await this.act(
      request,
      response,
      id,
      `sign-${recordId}`,
      async () => {
        const dto = await asDto(SignAcceptanceDto, {
          decision: body.decision,
          ...(text(body.note) ? { note: text(body.note) } : {}),
        });
        await this.acceptance.sign(request.actor!, recordId, dto);
        return 'sign';
      },
      (field) => (field === 'note' || field === 'decision' ? 'note' : undefined),
      { note: body.note },
    );
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
    await this.act(
      request,
      response,
      id,
      `revise-${recordId}`,
      async () => {
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
      (field) => {
        const index = indexOf(field, 'villages');
        if (index !== undefined && villages[index]) return `village-${villages[index]}`;
        return field === 'note' ? 'note' : undefined;
      },
      {
        areas: Object.fromEntries(villages.map((code, index) => [code, areas[index] ?? ''])),
        note: body.note,
      },
    );
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
    await this.act(
      request,
      response,
      id,
      `rework-${taskCode}`,
      async () => {
        const dto = await asDto(ReworkDto, { note: body.note });
        await this.acceptance.rework(request.actor!, id, taskCode, dto);
        return 'rework';
      },
      (field) => (field === 'note' ? 'note' : undefined),
      { note: body.note },
    );
  }

  /**
   * Runs an action: on success 303 back to the contract page with `done` (or the page the action
   * rendered itself); on a refusal the page again with the form's errors, at the REST status.
   */
  private async act(
    request: DeskRequest,
    response: Response,
    id: string,
    formKey: string,
    run: () => Promise<string | undefined>,
    map: (field: string) => string | undefined = () => undefined,
    values: Record<string, unknown> = {},
  ): Promise<void> {
    try {
      const done = await run();
      if (done) response.redirect(303, `/desk/contracts/${id}?done=${done}`);
    } catch (error) {
      // Outside the scope, no session, a forged form: the filter's pages.
      if (
        !(error instanceof DomainError) ||
        error.status >= 500 ||
        ['NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN', 'CSRF_REJECTED'].includes(error.code)
      )
        throw error;
      const { errors, fieldErrors } = formErrors(error, formKey, map);
      await this.render(request, response, id, error.status, {
        form: formKey,
        errors,
        fieldErrors,
        values,
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
