import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '../../common/errors/domain-error';
import { DeskRedirect } from './desk-access';
import type { DeskRequest } from './desk-session';
import { CODE_MESSAGES } from './desk-strings';
import { DESK_HEADERS, DeskViews, type MessagePage } from './desk-views';

const HOME = { href: '/desk', label: '返回待办' };

/**
 * The desk's answers that are not the page asked for: 303 redirects (no session, a temporary
 * password), and every refusal as a page with the REST route's status. A refused form is shown
 * again by its handler (DeskActionsController); what reaches here has no form to go back to.
 */
@Catch()
export class DeskExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('DeskExceptionFilter');

  constructor(private readonly views: DeskViews) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<DeskRequest>();
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof DeskRedirect) {
      for (const cookie of exception.setCookies) response.append('Set-Cookie', cookie);
      response.redirect(303, exception.location);
      return;
    }
    const session =
      request.actor && request.deskFormToken
        ? { actor: request.actor, csrf: request.deskFormToken }
        : undefined;
    if (exception instanceof DomainError) {
      if (exception.code === 'TOO_MANY_REQUESTS') {
        const seconds = exception.extra.retryAfterSeconds;
        response.setHeader('Retry-After', String(typeof seconds === 'number' ? seconds : 60));
      }
      const page: MessagePage =
        exception.code === 'CSRF_REJECTED'
          ? {
              title: '页面已过期，请重新打开后再提交',
              paragraphs: ['为了安全，表格必须从工作台的页面提交。这次提交没有保存。'],
              links: [HOME],
            }
          : {
              title: exception.status === 404 ? '没有找到' : '无法完成这个操作',
              paragraphs: [CODE_MESSAGES[exception.code] ?? exception.message],
              links: [HOME],
            };
      return send(response, exception.status, this.views.message(page, session));
    }
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    if (status >= 500) this.logger.error({ err: exception }, 'Desk request failed');
    send(
      response,
      status,
      this.views.message(
        {
          title:
            status === 404 ? '没有找到' : status >= 500 ? '系统暂时出了问题' : '无法完成这个操作',
          paragraphs: [status >= 500 ? '请稍后再试。' : '请返回后重新操作。'],
          links: [HOME],
        },
        session,
      ),
    );
  }
}

export function send(response: Response, status: number, html: string): void {
  response.status(status);
  for (const [name, value] of Object.entries(DESK_HEADERS)) response.setHeader(name, value);
  response.send(html);
}
