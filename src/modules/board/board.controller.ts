import { Body, Controller, Get, Header, Param, Post, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { uuidParam } from '../../common/http/uuid-param';
import { Public } from '../auth/access.decorators';
import { ObjectionThrottlerGuard } from '../notices/objection-throttler.guard';
import { BoardCsrfGuard } from './board-csrf.guard';
import { BoardExceptionFilter } from './board-exception.filter';
import { FormToken } from './form-token.decorator';
import { PAGE_HEADERS } from './board-views';
import { BoardService } from './board.service';

/**
 * The public notice board (公示栏): HTML pages for villagers, no login, no script. Not in the
 * OpenAPI document: it is a page for people; its JSON twin is /public/notices.
 */
@ApiExcludeController()
@Controller('board')
@Public()
@UseGuards(BoardCsrfGuard)
@UseFilters(BoardExceptionFilter)
export class BoardController {
  constructor(private readonly board: BoardService) {}

  @Get()
  @Header('Content-Type', PAGE_HEADERS['Content-Type'])
  @Header('Cache-Control', PAGE_HEADERS['Cache-Control'])
  @Header('Content-Security-Policy', PAGE_HEADERS['Content-Security-Policy'])
  list(): Promise<string> {
    return this.board.boardPage();
  }

  @Get('notices/:id')
  @Header('Content-Type', PAGE_HEADERS['Content-Type'])
  @Header('Cache-Control', PAGE_HEADERS['Cache-Control'])
  @Header('Content-Security-Policy', PAGE_HEADERS['Content-Security-Policy'])
  notice(
    @Param('id', uuidParam('Notice')) id: string,
    @FormToken() token: string,
  ): Promise<string> {
    return this.board.noticePage(id, token);
  }

  @Post('notices/:id/objections')
  @UseGuards(ObjectionThrottlerGuard)
  @Header('Content-Type', PAGE_HEADERS['Content-Type'])
  @Header('Cache-Control', PAGE_HEADERS['Cache-Control'])
  @Header('Content-Security-Policy', PAGE_HEADERS['Content-Security-Policy'])
  object(
    @Param('id', uuidParam('Notice')) id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<string> {
    return this.board.fileObjection(id, body);
  }
}
