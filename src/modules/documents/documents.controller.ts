import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiOkResponse,
  ApiParam,
  ApiProperty,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import { ApiFileResponse } from '../../common/http/api-refusals';
import type { Response } from 'express';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';
import { uuidParam } from '../../common/http/uuid-param';
import { AnyRole, CurrentActor, Public } from '../auth/access.decorators';
import type { Actor } from '../auth/actor';
import { DocumentsService, DOCUMENT_KINDS } from './documents.service';
import { DocumentQuery } from './dto/document-query.dto';

class DocumentCheckDto {
  @ApiProperty() issued!: boolean;
  @ApiProperty() kind!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ format: 'uuid' }) contractId!: string;
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
}

@ApiTags('documents')
@Controller()
export class DocumentsController {
  constructor(
    private readonly documents: DocumentsService,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  @ApiOperation({ summary: "A contract's document as PDF" })
  @Get('contracts/:id/documents/:kind')
  @AnyRole()
  @ApiParam({ name: 'kind', enum: DOCUMENT_KINDS })
  @ApiFileResponse(
    'The PDF; X-Document-Sha256 carries the digest printed in its footer. Issued once per state of the contract: a repeat download while the contract is unchanged returns the same bytes.',
    'application/pdf',
  )
  @ApiConflictResponse({
    description: 'The kind does not fit the state yet (DOCUMENT_NOT_AVAILABLE)',
  })
  async document(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Contract')) id: string,
    @Param('kind') kind: string,
    @Query() query: DocumentQuery,
    @Res() response: Response,
  ): Promise<void> {
    const issued = await this.documents.issue(
      actor,
      id,
      kind,
      query,
      // PUBLIC_BASE_URL, not this request's host: the paper is scanned by villagers outside.
      this.config.publicBaseUrl,
    );
    await this.documents.send(issued, response);
  }

  @ApiOperation({ summary: 'Verify an issued document by its SHA-256 (public)' })
  @Get('public/documents/:sha256')
  @Public()
  @ApiOkResponse({
    type: DocumentCheckDto,
    description: 'The engine issued a document with this digest; 404 if not',
  })
  verify(@Param('sha256') sha256: string): Promise<DocumentCheckDto> {
    return this.documents.verify(sha256);
  }
}
