import { randomInt } from 'node:crypto';
import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, notFound, type FieldError } from '../../common/errors/domain-error';
import { msg, render } from '../../common/i18n/message';
import { Public } from '../auth/access.decorators';
import { ACCEPTANCE_ROLES, ROLES, type Role } from '../auth/roles';
import { CreateUserDto } from '../users/dto/user.dto';
import { AccountService } from '../users/account.service';
import { passwordProblem } from '../users/password-policy';
import { UsersService } from '../users/users.service';
import { DeskRoles } from './desk-access';
import { DeskExceptionFilter, send } from './desk-exception.filter';
import { asDto, chinese, formErrors, text } from './desk-forms';
import type { DeskRequest } from './desk-session';
import { DeskSessionGuard } from './desk-session.guard';
import { ROLE_LABELS, USERS_LABELS as L } from './desk-strings';
import { DeskViews } from './desk-views';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAGE = 20;
/** A temporary password's letters: no 0/O, 1/l/I to misread over the phone. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';
const CREATE_FIELDS = [
  'username',
  'displayName',
  'role',
  'regionCode',
  'organisationId',
  'acceptanceRole',
  'password',
] as const;

interface UsersPageState {
  status?: number;
  banner?: { title: string };
  temporary?: { username: string; password: string };
  errors?: FieldError[];
  fieldErrors?: Record<string, string>;
  values?: Record<string, unknown>;
}

/**
 * Admin's user pages (GET /desk/users): list with filters, create, deactivate or reactivate, and
 * reset a password, over the same UsersService and AccountService as the REST routes (the rules,
 * the audit events and the refusals are theirs). A refusal shows the catalogue's message at the
 * REST route's status, and writes nothing.
 */
@ApiExcludeController()
@Controller('desk/users')
@Public()
@UseGuards(DeskSessionGuard)
@UseFilters(DeskExceptionFilter)
export class DeskUsersController {
  constructor(
    private readonly views: DeskViews,
    private readonly users: UsersService,
    private readonly accounts: AccountService,
  ) {}

  @Get()
  @DeskRoles('admin')
  async list(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Query() query: Record<string, unknown>,
    @Query('done') done?: string,
    @Query('u') username?: string,
  ): Promise<void> {
    const banner = banners(done, text(username) ?? '');
    send(response, 200, await this.page(request, query, { banner }));
  }

  @Post()
  @DeskRoles('admin')
  async create(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const values = Object.fromEntries(
      CREATE_FIELDS.map((field) => [field, text(body[field])]).filter(([, value]) => value),
    ) as Record<string, string>;
    try {
      const dto = await asDto(CreateUserDto, { ...values, password: body.password });
      const user = await this.users.create(request.actor!, dto);
      response.redirect(
        303,
        `/desk/users?${new URLSearchParams({ done: 'created', u: user.username }).toString()}`,
      );
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500) throw error;
      const { password: _, ...kept } = values;
      send(
        response,
        error.status,
        await this.page(request, {}, { ...this.refusal(error, values.username), values: kept }),
      );
    }
  }

  @Post(':id/active')
  @DeskRoles('admin')
  async setActive(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    if (!UUID.test(id)) throw notFound('User', id);
    const active = body.active === 'true';
    try {
      const user = await this.accounts.update(request.actor!, id, { active });
      const done = active ? 'reactivated' : 'deactivated';
      response.redirect(
        303,
        `/desk/users?${new URLSearchParams({ done, u: user.username }).toString()}`,
      );
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500 || error.status === 404)
        throw error;
      send(response, error.status, await this.page(request, {}, this.refusal(error)));
    }
  }

  /** A temporary password, made here and shown once (the answer is not cached: no-store). */
  @Post(':id/password')
  @DeskRoles('admin')
  async resetPassword(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Param('id') id: string,
  ): Promise<void> {
    if (!UUID.test(id)) throw notFound('User', id);
    const target = await this.users.get(request.actor!, id);
    const password = temporaryPassword(target.username);
    const user = await this.accounts.resetPassword(request.actor!, id, { password });
    send(
      response,
      200,
      await this.page(request, {}, { temporary: { username: user.username, password } }),
    );
  }

  private refusal(error: DomainError, username = ''): UsersPageState {
    const message =
      error.code === 'CANNOT_DEACTIVATE_SELF'
        ? render(msg('desk.cannotDeactivateSelf'), 'zh')
        : error.code === 'USERNAME_TAKEN'
          ? render(msg('desk.usernameTaken', { username }), 'zh')
          : undefined;
    if (message) return { errors: [{ field: 'new-user', message }], fieldErrors: {} };
    const { errors, fieldErrors } = formErrors(error, 'new-user', (field) =>
      (CREATE_FIELDS as readonly string[]).includes(field) ? field : undefined,
    );
    return {
      errors: errors.length ? errors : [{ field: 'new-user', message: chinese(error) }],
      fieldErrors,
    };
  }

  private async page(
    request: DeskRequest,
    query: Record<string, unknown>,
    state: UsersPageState,
  ): Promise<string> {
    const role = text(query.role);
    const regionCode = text(query.regionCode)?.slice(0, 20);
    const active = query.active === 'true' || query.active === 'false' ? query.active : undefined;
    const offset = Math.max(
      0,
      Math.min(1_000_000, Number.parseInt(text(query.offset) ?? '0', 10) || 0),
    );
    const filter = {
      role: role && (ROLES as readonly string[]).includes(role) ? (role as Role) : undefined,
      regionCode,
      active: active === undefined ? undefined : active === 'true',
    };
    const page = await this.users.list({ ...filter, limit: PAGE, offset });
    const link = (at: number) =>
      `/desk/users?${new URLSearchParams({ role: filter.role ?? '', regionCode: regionCode ?? '', active: active ?? '', offset: String(at) }).toString()}`;
    return this.views.render(
      'users',
      {
        title: L.title,
        L,
        wide: true,
        banner: state.banner,
        temporary: state.temporary,
        errors: state.errors ?? [],
        fieldErrors: state.fieldErrors ?? {},
        values: state.values ?? {},
        roles: ROLES.map((value) => ({ value, label: ROLE_LABELS[value] ?? value })),
        acceptanceRoles: ACCEPTANCE_ROLES,
        filter: { role: filter.role ?? '', regionCode: regionCode ?? '', active: active ?? '' },
        totalText: L.total(page.total),
        users: page.items.map((user) => ({
          ...user,
          role: ROLE_LABELS[user.role] ?? user.role,
        })),
        previous: offset > 0 ? link(Math.max(0, offset - PAGE)) : undefined,
        next: offset + PAGE < page.total ? link(offset + PAGE) : undefined,
      },
      { actor: request.actor!, csrf: request.deskFormToken ?? '' },
    );
  }
}

function banners(done: string | undefined, username: string): { title: string } | undefined {
  if (done === 'created') return { title: render(msg('desk.userCreated', { username }), 'zh') };
  if (done === 'deactivated')
    return { title: render(msg('desk.userDeactivated', { username }), 'zh') };
  if (done === 'reactivated')
    return { title: render(msg('desk.userReactivated', { username }), 'zh') };
  return undefined;
}

/** Fourteen letters and digits from a CSPRNG that pass the password policy. */
function temporaryPassword(username: string): string {
  for (;;) {
    let password = '';
    for (let i = 0; i < 14; i += 1) password += ALPHABET[randomInt(ALPHABET.length)];
    if (passwordProblem(password, username) === undefined) return password;
  }
}
