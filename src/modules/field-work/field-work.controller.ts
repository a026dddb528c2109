import type { Language } from '../../common/i18n/language';
import { AttachmentUpload, RegisterUpload } from './field-work-uploads';
import { renderRows } from '../../common/i18n/message';
import { RequestLanguage } from '../../common/i18n/request-language';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import { ApiPage, type Page } from '../../common/http/api-page';
import { requiredFile, type UploadedFileOnDisk } from '../../common/http/file-upload.interceptor';
import { IfMatch } from '../../common/http/if-match';
import { uuidParam } from '../../common/http/uuid-param';
import { AnyRole, CurrentActor, Roles } from '../auth/access.decorators';
import type { Actor } from '../auth/actor';
import { ContractDto } from '../contracts/dto/contract.dto';
import { ContractsService } from '../contracts/contracts.service';
import { AttachmentsService } from './attachments.service';
import { ClaimService } from './claim.service';
import {
  AttachmentDto,
  AttachmentUploadDto,
  CorrectRegisterRowDto,
  ListRegisterQuery,
  RegisterImportResultDto,
  RegisterRowDto,
  RegisterUploadDto,
} from './dto/register.dto';
import { RegisterImportService } from './register-import.service';
import { RegisterService } from './register.service';
import { ApiRefusals } from '../../common/http/api-refusals';
import { NoFields } from '../../common/http/no-fields.pipe';

const contractId = uuidParam('Contract');

@ApiTags('field work')
@Controller('contracts/:id')
export class FieldWorkController {
  constructor(
    private readonly imports: RegisterImportService,
    private readonly register: RegisterService,
    private readonly attachments: AttachmentsService,
    private readonly claims: ClaimService,
    private readonly contracts: ContractsService,
  ) {}

  @ApiOperation({ summary: 'Upload the field-work register (CSV or XLSX)' })
  @Post('register')
  @ApiRefusals('INVALID_TRANSITION', 'VERSION_CONFLICT')
  @Roles('cooperative')
  @HttpCode(HttpStatus.OK)
  @UseInterceptors(RegisterUpload)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: RegisterUploadDto })
  @ApiOkResponse({
    type: RegisterImportResultDto,
    description: 'Good rows stored; each bad one listed with its row and reason',
  })
  async importRegister(
    @CurrentActor() actor: Actor,
    @Param('id', contractId) id: string,
    @UploadedFile() file: UploadedFileOnDisk | undefined,
    @Body(NoFields) _fields: unknown,
    @RequestLanguage() language: Language,
  ): Promise<RegisterImportResultDto> {
    const { path, originalName } = requiredFile(file);
    const result = await this.imports.import(actor, id, { path }, originalName);
    return { ...result, rejected: renderRows(result.rejected, language) };
  }

  @ApiOperation({ summary: "A contract's register rows (ID numbers masked)" })
  @Get('register')
  @AnyRole()
  @ApiPage(RegisterRowDto)
  listRegister(
    @CurrentActor() actor: Actor,
    @Param('id', contractId) id: string,
    @Query() query: ListRegisterQuery,
  ): Promise<Page<RegisterRowDto>> {
    return this.register.list(actor, id, query);
  }

  @ApiOperation({ summary: 'Correct a register row' })
  @Patch('register/:rowId')
  @Roles('cooperative')
  @ApiOkResponse({
    type: RegisterRowDto,
    description: 'The corrected row; a failed check answers 400 with its reject code',
  })
  @ApiConflictResponse({ description: 'The row is claimed (ROW_FROZEN)' })
  correctRow(
    @CurrentActor() actor: Actor,
    @Param('id', contractId) id: string,
    @Param('rowId', uuidParam('Register row')) rowId: string,
    @Body() dto: CorrectRegisterRowDto,
  ): Promise<RegisterRowDto> {
    return this.imports.correct(actor, id, rowId, dto);
  }

  @ApiOperation({ summary: 'Withdraw a register row' })
  @Delete('register/:rowId')
  @Roles('cooperative')
  @ApiOkResponse({ type: RegisterRowDto, description: 'The row, withdrawn' })
  @ApiConflictResponse({ description: 'The row is claimed (ROW_FROZEN)' })
  withdrawRow(
    @CurrentActor() actor: Actor,
    @Param('id', contractId) id: string,
    @Param('rowId', uuidParam('Register row')) rowId: string,
    @Body(NoFields) _body: unknown,
  ): Promise<RegisterRowDto> {
    return this.register.withdraw(actor, id, rowId);
  }

  @ApiOperation({ summary: 'Upload an attachment (certificate, contract scan, register scan)' })
  @Post('attachments')
  @Roles('cooperative')
  @UseInterceptors(AttachmentUpload)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: AttachmentUploadDto })
  @ApiCreatedResponse({ type: AttachmentDto })
  upload(
    @CurrentActor() actor: Actor,
    @Param('id', contractId) id: string,
    @Body() dto: AttachmentUploadDto,
    @UploadedFile() file: UploadedFileOnDisk | undefined,
  ): Promise<AttachmentDto> {
    return this.attachments.upload(actor, id, dto.kind, requiredFile(file));
  }

  @ApiOperation({ summary: "A contract's attachments" })
  @Get('attachments')
  @AnyRole()
  @ApiPage(AttachmentDto)
  listAttachments(
    @CurrentActor() actor: Actor,
    @Param('id', contractId) id: string,
  ): Promise<Page<AttachmentDto>> {
    return this.attachments.list(actor, id);
  }

  @ApiOperation({ summary: 'Claim a task line (申报)' })
  @Post('task-lines/:taskCode/claim')
  @Roles('cooperative')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({
    type: ContractDto,
    description: 'Task line claimed; its village parts verifying',
  })
  @ApiConflictResponse({
    description:
      'No rows or attachments missing (CLAIM_INCOMPLETE); wrong state (INVALID_TRANSITION)',
  })
  async claim(
    @CurrentActor() actor: Actor,
    @Param('id', contractId) id: string,
    @Param('taskCode') taskCode: string,
    @IfMatch() version: number | undefined,
    @Body(NoFields) _body: unknown,
  ): Promise<ContractDto> {
    await this.claims.claim(actor, id, taskCode, version);
    return this.contracts.get(actor, id);
  }
}
