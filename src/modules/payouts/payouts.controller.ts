import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiPage, type Page } from '../../common/http/api-page';
import { uuidParam } from '../../common/http/uuid-param';
import { AnyRole, CurrentActor, Roles, SignOff } from '../auth/access.decorators';
import type { Actor } from '../auth/actor';
import {
  ListPayoutsQuery,
  ConfirmPayoutDto,
  ExportPayoutsQuery,
  FailPayoutDto,
  IssuePayoutDto,
  PayoutDto,
} from './dto/payout.dto';
import { PayoutExportService } from './payout-export.service';
import { PayoutsService } from './payouts.service';
import { ApiRefusals, ApiFileResponse, XLSX_CONTENT_TYPE } from '../../common/http/api-refusals';

@ApiTags('district audit, media notice, payout')
@Controller()
export class PayoutsController {
  constructor(
    private readonly payouts: PayoutsService,
    private readonly exports: PayoutExportService,
  ) {}

  @ApiOperation({ summary: 'Issue the payout of a payable contract (Idempotency-Key)' })
  @Post('contracts/:id/payouts')
  @ApiRefusals(
    'PAYOUT_EXISTS',
    'IDEMPOTENCY_KEY_REUSED',
    'INVALID_TRANSITION',
    'VERSION_CONFLICT',
    'PROVIDER_NOT_ELIGIBLE',
  )
  @SignOff('district_finance')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'The same key and body again → the same answer, no second payout',
  })
  @ApiCreatedResponse({ type: PayoutDto })
  async issue(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Contract')) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body() dto: IssuePayoutDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PayoutDto> {
    const answer = await this.payouts.issue(actor, id, key, dto);
    response.status(answer.status);
    return answer.body;
  }

  @ApiOperation({ summary: 'List payouts' })
  @Get('payouts')
  @Roles('district_finance', 'district_agri', 'observer', 'admin')
  @ApiPage(PayoutDto)
  list(@CurrentActor() actor: Actor, @Query() query: ListPayoutsQuery): Promise<Page<PayoutDto>> {
    return this.payouts.list(actor, query);
  }

  @ApiOperation({ summary: 'Payment batch file for the bank (CSV or XLSX)' })
  @Get('payouts/export')
  @Roles('district_finance', 'admin')
  @ApiFileResponse(
    'The payment batch: one row per payout and a totals row',
    'text/csv',
    XLSX_CONTENT_TYPE,
  )
  async export(
    @CurrentActor() actor: Actor,
    @Query() query: ExportPayoutsQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const file = await this.exports.export(actor, query.state ?? 'issued', query.format ?? 'csv');
    response.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
    return new StreamableFile(file.content, { type: file.contentType });
  }

  @ApiOperation({ summary: 'One payout' })
  @Get('payouts/:id')
  @AnyRole()
  @ApiOkResponse({ type: PayoutDto })
  get(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Payout')) id: string,
  ): Promise<PayoutDto> {
    return this.payouts.get(actor, id);
  }

  @ApiOperation({ summary: "Confirm a payout with the bank's reference: contract paid" })
  @Post('payouts/:id/confirm')
  @ApiRefusals('INVALID_TRANSITION', 'VERSION_CONFLICT')
  @SignOff('district_finance')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: PayoutDto, description: 'The bank paid: contract paid' })
  confirm(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Payout')) id: string,
    @Body() dto: ConfirmPayoutDto,
  ): Promise<PayoutDto> {
    return this.payouts.confirm(actor, id, dto);
  }

  @ApiOperation({ summary: 'Record a failed payout: contract payable again' })
  @Post('payouts/:id/fail')
  @ApiRefusals('INVALID_TRANSITION', 'VERSION_CONFLICT')
  @SignOff('district_finance')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: PayoutDto, description: 'The bank refused: contract payable again' })
  fail(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Payout')) id: string,
    @Body() dto: FailPayoutDto,
  ): Promise<PayoutDto> {
    return this.payouts.fail(actor, id, dto);
  }
}
