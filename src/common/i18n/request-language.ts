import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { CONTENT_LANGUAGE, preferredLanguage, type Language } from './language';

/** The language of the request's answer (its `Accept-Language`), for a controller's parameter. */
export const RequestLanguage = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Language =>
    preferredLanguage(context.switchToHttp().getRequest<Request>().headers['accept-language']),
);

/** The board's pages are Chinese whatever the browser asks (api.md, the public notice board). */
const CHINESE_ONLY = /^\/board(?:\/|$|\?)/;

/**
 * Every answer says its language (`Content-Language`) and that it depends on `Accept-Language`
 * (`Vary`), so a cache never hands a Chinese answer to an English client.
 */
export function contentLanguage(request: Request, response: Response, next: NextFunction): void {
  const language = CHINESE_ONLY.test(request.url)
    ? 'zh'
    : preferredLanguage(request.headers['accept-language']);
  response.setHeader('Content-Language', CONTENT_LANGUAGE[language]);
  response.vary('Accept-Language');
  next();
}
