import {
  Controller,
  Get,
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
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { validationFailed } from '../../common/errors/domain-error';
import type { UploadedFileOnDisk } from '../../common/http/file-upload.interceptor';
import { uuidParam } from '../../common/http/uuid-param';
import { msg, renderRows } from '../../common/i18n/message';
import { Public } from '../auth/access.decorators';
import { PaymentBatchResultService } from '../payment-batches/payment-batch-result.service';
import { ResultUpload } from '../payment-batches/payment-batch-uploads';
import { PaymentBatchesService } from '../payment-batches/payment-batches.service';
import { DeskRoles, DeskSignOff } from './desk-access';
import { DeskExceptionFilter, send } from './desk-exception.filter';
import { formErrors, formRefusal, text } from './desk-forms';
import { DeskPagesService } from './desk-pages.service';
import type { DeskRequest } from './desk-session';
import { DeskSessionGuard } from './desk-session.guard';
import { DeskViews } from './desk-views';
import type { FormState } from './form-state';

const batchId = uuidParam('Payment batch');
const PAGE = 20;

/**
 * The finance bureau's payment batches on the desk, over the services of `/payment-batches`:
 * the list and 生成批次 (every issued payout of the district in no open batch), a batch's
 * payouts, its file for the bank, and 上传银行回单 with each row's outcome.
 */
@ApiExcludeController()
@Controller('desk/payment-batches')
@Public()
@UseGuards(DeskSessionGuard)
@UseFilters(DeskExceptionFilter)
export class DeskPaymentBatchesController {
  constructor(
    private readonly views: DeskViews,
    private readonly pages: DeskPagesService,
    private readonly batches: PaymentBatchesService,
    private readonly results: PaymentBatchResultService,
  ) {}

  @Get()
  @DeskRoles('district_finance')
  async list(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Query('offset') offset?: string,
  ): Promise<void> {
    await this.renderList(request, response, 200, {}, text(offset));
  }

  @Post()
  @DeskSignOff('district_finance')
  async create(@Req() request: DeskRequest, @Res() response: Response): Promise<void> {
    try {
      const batch = await this.batches.create(request.actor!, {});
      response.redirect(303, `/desk/payment-batches/${batch.id}?done=created`);
    } catch (error) {
      if (!formRefusal(error)) throw error;
      const { errors } = formErrors(error, 'create', () => undefined);
      await this.renderList(request, response, error.status, { form: 'create', errors });
    }
  }

  @Get(':id')
  @DeskRoles('district_finance')
  async batch(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', batchId) id: string,
    @Query('done') done?: string,
  ): Promise<void> {
    await this.renderBatch(request, response, id, 200, { done: text(done) });
  }

  @Get(':id/file')
  @DeskRoles('district_finance')
  async file(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', batchId) id: string,
    @Query('format') format?: string,
  ): Promise<void> {
    const file = await this.batches.file(request.actor!, id, format === 'xlsx' ? 'xlsx' : 'csv');
    response.setHeader('Content-Type', file.contentType);
    response.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
    response.setHeader('Cache-Control', 'no-store');
    response.send(file.content);
  }

  /** The bank's result: the page again with the confirmed and failed counts and every row refused. */
  @Post(':id/result')
  @DeskSignOff('district_finance')
  @UseInterceptors(ResultUpload)
  async result(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id', batchId) id: string,
    @UploadedFile() file: UploadedFileOnDisk | undefined,
  ): Promise<void> {
    try {
      if (!file) throw validationFailed([{ field: 'file', message: msg('desk.chooseFile') }]);
      const answer = await this.results.upload(request.actor!, id, file);
      await this.renderBatch(request, response, id, 200, {
        banner: {
          title: `银行回单已登记：到账 ${answer.confirmed} 笔，退回 ${answer.failed} 笔`,
          text:
            answer.rejected.length > 0
              ? `${answer.rejected.length} 行未登记，原因见下表。`
              : '每一行都已登记。',
        },
        rejections: renderRows(answer.rejected, 'zh'),
      });
    } catch (error) {
      if (!formRefusal(error)) throw error;
      const { errors, fieldErrors } = formErrors(error, 'result', (field) =>
        field === 'file' ? 'file' : undefined,
      );
      await this.renderBatch(request, response, id, error.status, {
        form: 'result',
        errors,
        fieldErrors,
      });
    }
  }

  private async renderList(
    request: DeskRequest,
    response: Response,
    status: number,
    state: FormState,
    offset?: string,
  ): Promise<void> {
    const at = Math.max(0, Math.min(1_000_000, Number.parseInt(offset ?? '0', 10) || 0));
    const session = { actor: request.actor!, csrf: request.deskFormToken ?? '' };
    const model = await this.pages.paymentBatches(session.actor, at, PAGE, state);
    send(response, status, this.views.render('payment-batches', model, session));
  }

  private async renderBatch(
    request: DeskRequest,
    response: Response,
    id: string,
    status: number,
    state: FormState,
  ): Promise<void> {
    const session = { actor: request.actor!, csrf: request.deskFormToken ?? '' };
    const model = await this.pages.paymentBatch(session.actor, id, {
      ...state,
      csrf: session.csrf,
    });
    send(response, status, this.views.render('payment-batch', model, session));
  }
}
