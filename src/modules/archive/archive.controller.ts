import { Controller, Get, Logger, Param, Res } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { uuidParam } from '../../common/http/uuid-param';
import { CurrentActor, Roles } from '../auth/access.decorators';
import type { Actor } from '../auth/actor';
import { ArchiveService, type PreparedBag } from './archive.service';

const BAG = {
  description:
    'A BagIt 1.0 bag (RFC 8493) as ZIP: bagit.txt, bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt and the payload under data/',
  content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
};

@ApiTags('archive')
@Controller()
export class ArchiveController {
  constructor(private readonly archive: ArchiveService) {}

  @ApiOperation({ summary: "A contract's season file (归档) as a BagIt bag in a ZIP" })
  @Get('contracts/:id/archive')
  @Roles('district_agri', 'district_finance', 'observer', 'admin', 'cooperative')
  @ApiProduces('application/zip')
  @ApiOkResponse(BAG)
  @ApiForbiddenResponse({ description: 'Not a district role, observer or cooperative (FORBIDDEN)' })
  @ApiNotFoundResponse({ description: 'No such contract in your scope (NOT_FOUND)' })
  async contract(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Contract')) id: string,
    @Res() response: Response,
  ): Promise<void> {
    await send(await this.archive.contractBag(actor, id), response);
  }

  @ApiOperation({ summary: "A project's season file (归档) as a BagIt bag in a ZIP" })
  @Get('projects/:id/archive')
  @Roles('district_agri', 'district_finance', 'observer', 'admin')
  @ApiProduces('application/zip')
  @ApiOkResponse(BAG)
  @ApiForbiddenResponse({ description: 'Not a district role or observer (FORBIDDEN)' })
  @ApiNotFoundResponse({ description: 'No such project in your scope (NOT_FOUND)' })
  async project(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('Project')) id: string,
    @Res() response: Response,
  ): Promise<void> {
    await send(await this.archive.projectBag(actor, id), response);
  }
}

const logger = new Logger('ArchiveController');

/**
 * Headers once the scope is checked; then the bag streams. A failure after the first byte cannot
 * become an error response: the stream is cut short (the client sees an incomplete ZIP, never a
 * valid bag) and the failure is logged.
 */
async function send(bag: PreparedBag, response: Response): Promise<void> {
  response.setHeader('Content-Type', 'application/zip');
  response.setHeader(
    'Content-Disposition',
    `attachment; filename="archive.zip"; filename*=UTF-8''${encodeURIComponent(bag.fileName)}`,
  );
  await bag.write(response).catch((error: unknown) => {
    logger.error(`Archive ${bag.fileName} cut short: ${(error as Error).message}`);
  });
}
