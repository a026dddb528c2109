import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/access.decorators';

/**
 * The board's icon (16×16, a notice post on green): a static ICO, written out here so that no
 * asset has to be copied into the build. Browsers ask for /favicon.ico on every page.
 */
export const FAVICON = Buffer.from(
  [
    'AAABAAEAEBAAAAEAIABoBAAAFgAAACgAAAAQAAAAIAAAAAEAIAAAAAAAQAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAADJ9Lv8yfS7/Mn0u/zJ9',
    'Lv8yfS7/Mn0u/zJ9Lv8yfS7/Mn0u/zJ9Lv8yfS7/Mn0u/zJ9Lv8yfS7/AAAAAAAAAAAyfS7/Mn0u/zJ9Lv8yfS7/Mn0u/zJ9',
    'Lv8yfS7/Mn0u/zJ9Lv8yfS7/Mn0u/zJ9Lv8yfS7/Mn0u/wAAAAAAAAAAMn0u/zJ9Lv8yfS7/Mn0u/zJ9Lv8yfS7/////////',
    '//8yfS7/Mn0u/zJ9Lv8yfS7/Mn0u/zJ9Lv8AAAAAAAAAADJ9Lv8yfS7/Mn0u/zJ9Lv8yfS7/Mn0u////////////Mn0u/zJ9',
    'Lv8yfS7/Mn0u/zJ9Lv8yfS7/AAAAAAAAAAAyfS7/Mn0u/zJ9Lv///////////////////////////////////////////zJ9',
    'Lv8yfS7/Mn0u/wAAAAAAAAAAMn0u/zJ9Lv8yfS7/Mn0u/zJ9Lv8yfS7///////////8yfS7/Mn0u/zJ9Lv8yfS7/Mn0u/zJ9',
    'Lv8AAAAAAAAAADJ9Lv8yfS7/Mn0u/zJ9Lv8yfS7/Mn0u////////////Mn0u/zJ9Lv8yfS7/Mn0u/zJ9Lv8yfS7/AAAAAAAA',
    'AAAyfS7/Mn0u/zJ9Lv8yfS7/Mn0u/zJ9Lv///////////zJ9Lv8yfS7/Mn0u/zJ9Lv8yfS7/Mn0u/wAAAAAAAAAAMn0u/zJ9',
    'Lv8yfS7/Mn0u/zJ9Lv8yfS7///////////8yfS7/Mn0u/zJ9Lv8yfS7/Mn0u/zJ9Lv8AAAAAAAAAADJ9Lv8yfS7/Mn0u////',
    '////////////////////////////////////////Mn0u/zJ9Lv8yfS7/AAAAAAAAAAAyfS7/Mn0u/zJ9Lv8yfS7/Mn0u/zJ9',
    'Lv8yfS7/Mn0u/zJ9Lv8yfS7/Mn0u/zJ9Lv8yfS7/Mn0u/wAAAAAAAAAAMn0u/zJ9Lv8yfS7/Mn0u/zJ9Lv8yfS7/Mn0u/zJ9',
    'Lv8yfS7/Mn0u/zJ9Lv8yfS7/Mn0u/zJ9Lv8AAAAAAAAAADJ9Lv8yfS7/Mn0u/zJ9Lv8yfS7/Mn0u/zJ9Lv8yfS7/Mn0u/zJ9',
    'Lv8yfS7/Mn0u/zJ9Lv8yfS7/AAAAAAAAAAAyfS7/Mn0u/zJ9Lv8yfS7/Mn0u/zJ9Lv8yfS7/Mn0u/zJ9Lv8yfS7/Mn0u/zJ9',
    'Lv8yfS7/Mn0u/wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==',
  ].join(''),
  'base64',
);

/** The notices are public, but not for search engines: nothing of the site is to be indexed. */
export const ROBOTS_TXT = 'User-agent: *\nDisallow: /\n';

/** Files browsers and crawlers ask every site for. Pages for people: not in the OpenAPI document. */
@ApiExcludeController()
@Controller()
@Public()
export class SiteFilesController {
  @Get('favicon.ico')
  favicon(@Res() response: Response): void {
    // Written directly: Express's send() would add a charset to an image's content type.
    response.setHeader('Content-Type', 'image/x-icon');
    response.setHeader('Cache-Control', 'public, max-age=86400');
    response.end(FAVICON);
  }

  @Get('robots.txt')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=86400')
  robots(): string {
    return ROBOTS_TXT;
  }
}
