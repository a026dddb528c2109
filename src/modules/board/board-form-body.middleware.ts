import { Injectable, type NestMiddleware } from '@nestjs/common';
import { urlencoded, type NextFunction, type Request, type Response } from 'express';
import { sendPage } from './board-exception.filter';
import { BoardViews } from './board-views';

/**
 * An objection form is a few short fields. 2,000 Chinese characters percent-encode to 18 kB
 * (9 bytes each), so 32 kB takes the longest valid form and is all a flood may make us read.
 */
export const FORM_BODY_LIMIT = '32kb';

/**
 * Form-encoded bodies for the board's post only (the rest of the API takes JSON and nothing
 * else). A body over the limit or one that cannot be read is answered with a page here: errors
 * of middleware never reach the board controller's filter.
 */
@Injectable()
export class BoardFormBodyMiddleware implements NestMiddleware {
  private readonly parse = urlencoded({
    extended: false,
    limit: FORM_BODY_LIMIT,
    parameterLimit: 20,
  });

  constructor(private readonly views: BoardViews) {}

  use(request: Request, response: Response, next: NextFunction): void {
    this.parse(request, response, (error?: unknown) => {
      if (!error) return next();
      const status = (error as { status?: number }).status;
      const tooLarge = status === 413;
      sendPage(
        response,
        tooLarge ? 413 : 400,
        this.views.message({
          title: tooLarge ? '填写的内容太长' : '提交的内容无法识别',
          paragraphs: [
            tooLarge
              ? '异议内容最多 2000 字。请返回公示页面，精简后再提交。'
              : '请返回公示页面，用页面上的表格重新提交。',
          ],
          links: [{ href: '/board', label: '返回公示栏' }],
        }),
      );
    });
  }
}
