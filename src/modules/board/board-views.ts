import { Injectable } from '@nestjs/common';
import { pageTemplates } from '../../pages/page-templates';

export type BoardTemplate = 'board' | 'notice' | 'confirmation' | 'message';

/** Headers of every board page: HTML, never cached (a notice changes), and a strict CSP. */
export const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  // No script at all; inline styles only (one small sheet in the layout); posts to itself.
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
} as const;

/** The board's header and footer in the shared layout (src/pages/layout.eta). */
const BOARD_SITE = {
  name: '村务公示栏',
  description: '村务公示栏：农业生产社会化服务补助的村级公示，农户可查看作业面积并提出异议',
  href: '/board',
  tagline: '农业生产社会化服务补助 · 作业面积公示与异议',
  footer: '公示期内任何人都可以提出异议。时间均为北京时间。身份证号只显示前 6 位和后 4 位。',
};

/**
 * The board's templates (src/pages/board/*.eta in the layout and components shared with the
 * desk, copied into dist by nest-cli.json). Eta escapes every `<%= %>` (autoEscape): names,
 * notes and objection texts come from the public.
 */
@Injectable()
export class BoardViews {
  private readonly eta = pageTemplates();

  render(template: BoardTemplate, data: object): string {
    return this.eta.render(`./board/${template}`, { ...data, site: BOARD_SITE });
  }

  /** A short page that says what happened and where to go: errors, refusals, throttling. */
  message(page: MessagePage): string {
    return this.render('message', page);
  }
}

export interface MessagePage {
  title: string;
  paragraphs: string[];
  links: { href: string; label: string }[];
}
