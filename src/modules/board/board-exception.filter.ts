import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '../../common/errors/domain-error';
import type { BoardRequest } from './board-csrf.guard';
import { BoardService } from './board.service';
import { BoardViews, PAGE_HEADERS, type MessagePage } from './board-views';
import { formInput } from './objection-form';
import { msg } from '../../common/i18n/message';

/** When the throttler gave no time (it names its header after the throttler), wait a minute. */
const DEFAULT_RETRY_SECONDS = 60;
const HOME = { href: '/board', label: '返回公示栏，查看正在公示的内容' };

/**
 * The board's errors as pages a villager can read (never JSON or a stack): the same codes as
 * the JSON routes, each with its status. A refused form is shown again with its fields marked.
 */
@Catch()
export class BoardExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('BoardExceptionFilter');

  constructor(
    private readonly board: BoardService,
    private readonly views: BoardViews,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<BoardRequest>();
    const response = host.switchToHttp().getResponse<Response>();
    this.respond(exception, request, response).catch((error: unknown) => {
      this.logger.error({ err: error }, 'Could not render the board error page');
      if (!response.headersSent) sendPage(response, 500, this.views.message(UNAVAILABLE));
    });
  }

  private async respond(exception: unknown, request: BoardRequest, response: Response) {
    const noticeId = typeof request.params?.id === 'string' ? request.params.id : undefined;
    const noticeLink = noticeId
      ? { href: `/board/notices/${encodeURIComponent(noticeId)}`, label: '返回这份公示' }
      : HOME;
    if (exception instanceof DomainError && exception.code === 'TOO_MANY_REQUESTS') {
      const given = exception.extra.retryAfterSeconds;
      const seconds = typeof given === 'number' ? given : DEFAULT_RETRY_SECONDS;
      response.setHeader('Retry-After', String(seconds));
      return sendPage(response, 429, this.views.message(tooMany(seconds, noticeLink)));
    }
    if (!(exception instanceof DomainError)) {
      const status = exception instanceof HttpException ? exception.getStatus() : 500;
      if (status >= 500) this.logger.error({ err: exception }, 'Board request failed');
      return sendPage(response, status, this.views.message(byStatus(status)));
    }
    // The few codes a villager's page tells apart; every other one by its status.
    const code: string = exception.code;
    switch (code) {
      case 'NOT_FOUND':
        return sendPage(response, 404, this.views.message(NOT_FOUND));
      case 'VALIDATION_FAILED':
      case 'UNKNOWN_REGISTER_ROW':
        if (noticeId && request.method === 'POST') {
          const errors = (exception.extra.errors ?? []).map((error) =>
            exception.code === 'UNKNOWN_REGISTER_ROW'
              ? { field: 'registerRowId', message: msg('board.rowNotOnNotice') }
              : error,
          );
          const page = await this.board.noticePage(noticeId, request.boardFormToken ?? '', {
            input: formInput(request.body),
            errors,
          });
          return sendPage(response, 400, page);
        }
        return sendPage(response, 400, this.views.message(byStatus(400)));
      case 'NOTICE_CLOSED':
      case 'INVALID_TRANSITION':
        return sendPage(response, 409, this.views.message(closed(noticeLink)));
      case 'CSRF_REJECTED':
        return sendPage(response, 403, this.views.message(forged(noticeLink)));
      default:
        return sendPage(response, exception.status, this.views.message(byStatus(exception.status)));
    }
  }
}

export function sendPage(response: Response, status: number, html: string): void {
  response.status(status);
  for (const [name, value] of Object.entries(PAGE_HEADERS)) response.setHeader(name, value);
  response.send(html);
}

const NOT_FOUND: MessagePage = {
  title: '没有找到这份公示',
  paragraphs: [
    '链接可能不完整，或者这份公示不存在。请核对公示单上的二维码或网址，或从公示栏重新查找。',
  ],
  links: [HOME],
};

const UNAVAILABLE: MessagePage = {
  title: '系统暂时出了问题',
  paragraphs: ['请稍后再试。如果急需提出异议，也可以直接向村核实小组书面反映。'],
  links: [HOME],
};

function tooMany(seconds: number, back: MessagePage['links'][number]): MessagePage {
  const wait = seconds >= 60 ? `${Math.ceil(seconds / 60)} 分钟` : `${seconds} 秒`;
  return {
    title: '提交太频繁，请稍后再试',
    paragraphs: [
      `为防止有人大量提交，同一部手机短时间内只能提交有限次数。请等 ${wait} 后再提交。`,
      '已经提交成功的异议不会丢失，不需要重复提交。',
    ],
    links: [back, HOME],
  };
}

function closed(back: MessagePage['links'][number]): MessagePage {
  return {
    title: '这份公示已经结束，不再接收异议',
    paragraphs: [
      '公示期满且异议已处理完，或公示已撤回、合同已终止。处理结果可以在公示页面查看。',
      '如仍有疑问，请向村核实小组或区农业农村委员会书面反映。',
    ],
    links: [back, HOME],
  };
}

function forged(back: MessagePage['links'][number]): MessagePage {
  return {
    title: '页面已过期，请重新打开公示再提交',
    paragraphs: [
      '为了安全，异议必须从公示页面上的表格提交。您的异议这次没有保存，请返回公示页面重新填写。',
    ],
    links: [back, HOME],
  };
}

function byStatus(status: number): MessagePage {
  if (status === Number(HttpStatus.NOT_FOUND)) return NOT_FOUND;
  if (status === Number(HttpStatus.PAYLOAD_TOO_LARGE))
    return { title: '填写的内容太长', paragraphs: ['请把异议内容精简后再提交。'], links: [HOME] };
  if (status === Number(HttpStatus.BAD_REQUEST))
    return {
      title: '提交的内容无法识别',
      paragraphs: ['请返回公示页面，用页面上的表格重新提交。'],
      links: [HOME],
    };
  return status >= 500 ? UNAVAILABLE : { ...UNAVAILABLE, title: '无法完成这个操作' };
}
