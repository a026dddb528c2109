import { Body, Controller, Get, Param, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiRefusals } from '../../common/http/api-refusals';
import { requiredFile, type UploadedFileOnDisk } from '../../common/http/file-upload.interceptor';
import { NoFields } from '../../common/http/no-fields.pipe';
import { uuidParam } from '../../common/http/uuid-param';
import { CurrentActor, Roles, SignOff } from '../auth/access.decorators';
import type { Actor } from '../auth/actor';
import { PhotoUpload } from './audit-uploads';
import { AuditSampleService } from './audit-sample.service';
import {
  AuditSampleDto,
  CreatedIdDto,
  PhotoUploadDto,
  RecordVisitDto,
  VisitPhotoDto,
} from './dto/audit-sample.dto';
import { VisitPhotosService } from './visit-photos.service';

@ApiTags('district audit by sample')
@Controller()
export class AuditSampleController {
  constructor(
    private readonly samples: AuditSampleService,
    private readonly photos: VisitPhotosService,
  ) {}

  @Post('contracts/:id/audit/sample')
  @SignOff('district_agri', 'district_finance')
  @ApiOperation({ summary: 'Draw the audit sample (once per contract, in district audit)' })
  @ApiRefusals('INVALID_TRANSITION', 'AUDIT_SAMPLE_EXISTS', 'VERSION_CONFLICT')
  @ApiCreatedResponse({ type: AuditSampleDto })
  @ApiNotFoundResponse({ description: 'No such contract in scope (NOT_FOUND)' })
  draw(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Contract')) id: string,
    @Body(NoFields) _body: unknown,
  ): Promise<AuditSampleDto> {
    return this.samples.draw(actor, id);
  }

  @Get('contracts/:id/audit/sample')
  @Roles('district_agri', 'district_finance', 'observer', 'admin')
  @ApiOperation({
    summary: 'The sample, each row with its visit and photos; per task line S, O, max',
  })
  @ApiOkResponse({ type: AuditSampleDto })
  @ApiNotFoundResponse({ description: 'No such contract in scope, or no sample drawn (NOT_FOUND)' })
  get(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Contract')) id: string,
  ): Promise<AuditSampleDto> {
    return this.samples.get(actor, id);
  }

  @Post('audit-samples/:id/visits')
  @SignOff('district_agri', 'district_finance')
  @ApiOperation({ summary: 'Record the visit of a sampled row (household, field or phone)' })
  @ApiRefusals(
    'VALIDATION_FAILED',
    'AREA_ABOVE_PREVIOUS_STAGE',
    'NOT_IN_SAMPLE',
    'ALREADY_VISITED',
    'INVALID_TRANSITION',
    'VERSION_CONFLICT',
  )
  @ApiCreatedResponse({ type: CreatedIdDto })
  @ApiNotFoundResponse({ description: 'No such sample in scope (NOT_FOUND)' })
  visit(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Audit sample')) id: string,
    @Body() dto: RecordVisitDto,
  ): Promise<CreatedIdDto> {
    return this.samples.recordVisit(actor, id, dto);
  }

  @Post('audit-visits/:id/photos')
  @SignOff('district_agri', 'district_finance')
  @UseInterceptors(PhotoUpload)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: PhotoUploadDto })
  @ApiOperation({ summary: "A visit's photo (JPEG or PNG); time and position from its EXIF" })
  @ApiRefusals('VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE')
  @ApiCreatedResponse({ type: VisitPhotoDto })
  @ApiNotFoundResponse({ description: 'No such visit in scope (NOT_FOUND)' })
  photo(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Audit visit')) id: string,
    @Body(NoFields) _body: unknown,
    @UploadedFile() file: UploadedFileOnDisk | undefined,
  ): Promise<VisitPhotoDto> {
    return this.photos.upload(actor, id, requiredFile(file));
  }
}
