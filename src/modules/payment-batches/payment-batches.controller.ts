import type { Language } from '../../common/i18n/language';
import { renderRows } from '../../common/i18n/message';
import { RequestLanguage } from '../../common/i18n/request-language';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import { ApiFileResponse, XLSX_CONTENT_TYPE } from '../../common/http/api-refusals';
import type { Response } from 'express';
import { ApiPage, type Page } from '../../common/http/api-page';
import { requiredFile, type UploadedFileOnDisk } from '../../common/http/file-upload.interceptor';
import { uuidParam } from '../../common/http/uuid-param';
import { CurrentActor, Roles, SignOff } from '../auth/access.decorators';
import type { Actor } from '../auth/actor';
import {
  BatchFileQuery,
  BatchResultDto,
  CreatePaymentBatchDto,
  ListPaymentBatchesQuery,
  PaymentBatchCreatedDto,
  PaymentBatchDto,
  ResultUploadDto,
} from './dto/payment-batch.dto';
import { PaymentBatchResultService } from './payment-batch-result.service';
import { ResultUpload } from './payment-batch-uploads';
import { PaymentBatchesService } from './payment-batches.service';
import { NoFields } from '../../common/http/no-fields.pipe';

const batchId = uuidParam('Payment batch');
const NOT_FOUND = 'No such batch in your district (NOT_FOUND)';
const FORBIDDEN = 'Not the finance bureau (FORBIDDEN, SEPARATION_OF_DUTIES for a cooperative)';

@ApiTags('payment batches')
@Controller('payment-batches')
export class PaymentBatchesController {
  constructor(
    private readonly batches: PaymentBatchesService,
    private readonly results: PaymentBatchResultService,
  ) {}

  @ApiOperation({ summary: 'Send issued payouts to the bank in a batch' })
  @Post()
  @SignOff('district_finance')
  @ApiCreatedResponse({ type: PaymentBatchCreatedDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiForbiddenResponse({ description: FORBIDDEN })
  @ApiNotFoundResponse({ description: 'A payout not in your district (NOT_FOUND)' })
  @ApiConflictResponse({
    description:
      'PAYOUT_IN_BATCH (a payout is in a batch already), INVALID_TRANSITION (a payout not issued), BATCH_EMPTY',
  })
  create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreatePaymentBatchDto,
  ): Promise<PaymentBatchCreatedDto> {
    return this.batches.create(actor, dto);
  }

  @ApiOperation({ summary: 'List payment batches' })
  @Get()
  @Roles('district_finance')
  @ApiPage(PaymentBatchDto)
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiForbiddenResponse({ description: FORBIDDEN })
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListPaymentBatchesQuery,
  ): Promise<Page<PaymentBatchDto>> {
    return this.batches.list(actor, query);
  }

  @ApiOperation({ summary: 'One payment batch with its counts and amounts per state' })
  @Get(':id')
  @Roles('district_finance')
  @ApiOkResponse({ type: PaymentBatchDto })
  @ApiForbiddenResponse({ description: FORBIDDEN })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  get(@CurrentActor() actor: Actor, @Param('id', batchId) id: string): Promise<PaymentBatchDto> {
    return this.batches.get(actor, id);
  }

  @ApiOperation({ summary: "A batch's file for the bank (CSV or XLSX)" })
  @Get(':id/file')
  @Roles('district_finance')
  @ApiFileResponse(
    'The file for the bank: one row per payout and a totals row',
    'text/csv',
    XLSX_CONTENT_TYPE,
  )
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiForbiddenResponse({ description: FORBIDDEN })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async file(
    @CurrentActor() actor: Actor,
    @Param('id', batchId) id: string,
    @Query() query: BatchFileQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const file = await this.batches.file(actor, id, query.format ?? 'csv');
    response.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
    return new StreamableFile(file.content, { type: file.contentType });
  }

  @ApiOperation({ summary: "Record the bank's result file for a batch" })
  @Post(':id/result')
  @SignOff('district_finance')
  @HttpCode(HttpStatus.OK)
  @UseInterceptors(ResultUpload)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ResultUploadDto })
  @ApiOkResponse({
    type: BatchResultDto,
    description:
      'Each good row confirmed or failed its payout; each other one listed with its code',
  })
  @ApiBadRequestResponse({
    description: 'RESULT_FILE_REJECTED (not a result file; body has `reason`), VALIDATION_FAILED',
  })
  @ApiForbiddenResponse({ description: FORBIDDEN })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async result(
    @CurrentActor() actor: Actor,
    @Param('id', batchId) id: string,
    @UploadedFile() file: UploadedFileOnDisk | undefined,
    @Body(NoFields) _fields: unknown,
    @RequestLanguage() language: Language,
  ): Promise<BatchResultDto> {
    const answer = await this.results.upload(actor, id, requiredFile(file));
    return { ...answer, rejected: renderRows(answer.rejected, language) };
  }
}
