import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { pageTemplates } from '../../pages/page-templates';
import { DISTRICT_ROLES } from '../auth/roles';
import { ROLE_LABELS } from './desk-strings';

export type DeskTemplate =
  | 'login'
  | 'todo'
  | 'contracts'
  | 'contract'
  | 'account'
  | 'message'
  | 'payment-batches'
  | 'payment-batch'
  // issue 26: the dashboard, the calculation sheet, the users pages
  | 'dashboard'
  | 'calculation'
  | 'users';

/** Headers of every desk page: HTML, never cached (it is one user's), no script at all. */
export const DESK_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
} as const;

const DESK_SITE = {
  name: '补助工作台',
  description: '农业生产社会化服务补助工作台：待办、合同、核实、验收、审核与拨付',
  href: '/desk',
  theme: 'desk',
  footer: '农业生产社会化服务补助 · 工作台。时间均为北京时间，面积单位为亩。',
};

export interface MessagePage {
  title: string;
  paragraphs: string[];
  links: { href: string; label: string }[];
}

/** The desk's pages in the layout and components shared with the board (src/pages). */
@Injectable()
export class DeskViews {
  private readonly eta = pageTemplates();

  render(template: DeskTemplate, data: object, session?: { actor: Actor; csrf: string }): string {
    const nav = session
      ? this.eta.render('./desk/nav', {
          name: session.actor.displayName,
          role: ROLE_LABELS[session.actor.role] ?? session.actor.role,
          csrf: session.csrf,
          // The finance bureau's own page (the route refuses every other role).
          batches: session.actor.role === 'district_finance',
          dashboard: (DISTRICT_ROLES as readonly string[]).includes(session.actor.role),
          users: session.actor.role === 'admin',
        })
      : undefined;
    return this.eta.render(`./desk/${template}`, {
      ...data,
      site: DESK_SITE,
      nav,
      csrf: session?.csrf ?? (data as { csrf?: string }).csrf,
    });
  }

  message(page: MessagePage, session?: { actor: Actor; csrf: string }): string {
    return this.render('message', page, session);
  }
}
