import { Injectable } from '@nestjs/common';
import { Eta } from 'eta';
import path from 'node:path';

export type BoardTemplate = 'board' | 'notice' | 'confirmation' | 'message';

/** Headers of every board page: HTML, never cached (a notice changes), and a strict CSP. */
export const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  // No script at all; inline styles only (one small sheet in the layout); posts to itself.
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
} as const;

/**
 * The board's templates (views/*.eta, copied into dist by nest-cli.json). Eta escapes every
 * `<%= %>` (autoEscape): names, notes and objection texts come from the public.
 */
@Injectable()
export class BoardViews {
  private readonly eta = new Eta({
    views: path.join(__dirname, 'views'),
    autoEscape: true,
    cache: true,
    defaultExtension: '.eta',
  });

  render(template: BoardTemplate, data: object): string {
    return this.eta.render(`./${template}`, data);
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
