import {
  Body,
  Controller,
  Get,
  Inject,
  Ip,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError } from '../../common/errors/domain-error';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';
import { Public } from '../auth/access.decorators';
import { AuthService } from '../auth/auth.service';
import { ChangePasswordDto } from '../auth/dto/change-password.dto';
import { PasswordChangeService } from '../auth/password-change.service';
import { ContractsService } from '../contracts/contracts.service';
import { ProjectsService } from '../projects/projects.service';
import { DeskAnonymous, DeskDuringPasswordChange } from './desk-access';
import { DeskExceptionFilter, send } from './desk-exception.filter';
import { asDto, chinese, formErrors, text } from './desk-forms';
import { DeskPagesService } from './desk-pages.service';
import { SESSION_COOKIE, cookie, safeNext, type DeskRequest } from './desk-session';
import { DeskSessionGuard } from './desk-session.guard';
import { stateLabel } from './desk-strings';
import { contractMachine } from '../contracts/machine/contract.machine';
import { ActorLoader } from '../auth/actor.loader';

/** The machine's own states, for the list's filter. */
const CONTRACT_STATES = Object.keys(contractMachine.config.states ?? {});
import { DeskViews } from './desk-views';

/**
 * The staff desk (工作台): server-rendered pages over the same services as the REST routes.
 * The session is a cookie holding the user's access token (DeskSessionGuard); not in the
 * OpenAPI document, as the board: these are pages for people.
 */
@ApiExcludeController()
@Controller('desk')
@Public()
@UseGuards(DeskSessionGuard)
@UseFilters(DeskExceptionFilter)
export class DeskController {
  private readonly secure: boolean;

  constructor(
    private readonly views: DeskViews,
    private readonly pages: DeskPagesService,
    private readonly auth: AuthService,
    private readonly passwords: PasswordChangeService,
    private readonly contracts: ContractsService,
    private readonly projects: ProjectsService,
    private readonly actors: ActorLoader,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {
    this.secure = config.publicBaseUrl.startsWith('https:');
  }

  @Get('login')
  @DeskAnonymous()
  loginPage(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Query('next') next?: string,
  ): void {
    send(response, 200, this.loginForm(request, { next: safeNext(next) }));
  }

  @Post('login')
  @DeskAnonymous()
  async login(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
    @Ip() client: string,
  ): Promise<void> {
    const username = typeof body.username === 'string' ? body.username : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const next = safeNext(body.next);
    const missing: Record<string, string> = {};
    if (!username.trim()) missing.username = '请填写用户名。';
    if (!password) missing.password = '请填写密码。';
    if (Object.keys(missing).length > 0)
      return send(response, 400, this.loginForm(request, { next, username, fieldErrors: missing }));
    try {
      const session = await this.auth.login({ username, password }, client);
      response.append(
        'Set-Cookie',
        cookie(SESSION_COOKIE, session.accessToken, {
          secure: this.secure,
          maxAgeSeconds: session.expiresIn,
        }),
      );
      response.redirect(303, session.user.mustChangePassword ? '/desk/account' : next);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === 'TOO_MANY_REQUESTS') {
        const seconds = error.extra.retryAfterSeconds;
        response.setHeader('Retry-After', String(typeof seconds === 'number' ? seconds : 60));
      }
      const message = error.code === 'UNAUTHENTICATED' ? '用户名或密码不正确。' : chinese(error);
      send(
        response,
        error.status,
        this.loginForm(request, { next, username, fieldErrors: { password: message } }),
      );
    }
  }

  @Post('logout')
  @DeskDuringPasswordChange()
  logout(@Res() response: Response): void {
    response.append(
      'Set-Cookie',
      cookie(SESSION_COOKIE, '', { secure: this.secure, maxAgeSeconds: 0 }),
    );
    response.redirect(303, '/desk/login');
  }

  @Get()
  async todo(@Req() request: DeskRequest, @Res() response: Response): Promise<void> {
    const actor = request.actor!;
    send(
      response,
      200,
      this.views.render(
        'todo',
        { title: '待办', ...(await this.pages.todo(actor)) },
        this.session(request),
      ),
    );
  }

  @Get('contracts')
  async contractList(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const actor = request.actor!;
    const limit = 20;
    const offset = Math.max(
      0,
      Math.min(1_000_000, Number.parseInt(text(query.offset) ?? '0', 10) || 0),
    );
    const projectId = text(query.projectId);
    const state = text(query.state);
    const page = await this.contracts.list(actor, {
      limit,
      offset,
      projectId: projectId && /^[0-9a-f-]{36}$/i.test(projectId) ? projectId : undefined,
      state: state && CONTRACT_STATES.includes(state) ? state : undefined,
    });
    const projects = await this.projects.list(actor, { limit: 200, offset: 0 });
    const organisations = await this.pages.organisationNames(
      page.items.map((contract) => contract.organisationId),
    );
    const link = (at: number) =>
      `/desk/contracts?${new URLSearchParams({ projectId: projectId ?? '', state: state ?? '', offset: String(at) }).toString()}`;
    send(
      response,
      200,
      this.views.render(
        'contracts',
        {
          title: '合同',
          projects: projects.items.map((project) => ({ id: project.id, name: project.name })),
          projectId,
          state,
          states: CONTRACT_STATES.map((value) => ({ value, label: stateLabel(value) })),
          total: page.total,
          rows: page.items.map((contract) => [
            { text: contract.contractNo ?? '（未签）', href: `/desk/contracts/${contract.id}` },
            organisations.get(contract.organisationId) ?? '—',
            contract.lotCode,
            stateLabel(contract.state),
            { text: contract.subsidyYuan, num: true },
          ]),
          previous: offset > 0 ? link(Math.max(0, offset - limit)) : undefined,
          next: offset + limit < page.total ? link(offset + limit) : undefined,
        },
        this.session(request),
      ),
    );
  }

  @Get('account')
  @DeskDuringPasswordChange()
  async account(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Query('done') done?: string,
  ): Promise<void> {
    send(
      response,
      200,
      await this.accountPage(request, done === '1' ? { banner: { title: '密码已修改。' } } : {}),
    );
  }

  @Post('account')
  @DeskDuringPasswordChange()
  async changePassword(
    @Req() request: DeskRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const actor = request.actor!;
    try {
      const dto = await asDto(ChangePasswordDto, {
        currentPassword: body.currentPassword,
        newPassword: body.newPassword,
      });
      const { accessToken } = await this.passwords.change(actor, dto);
      response.append(
        'Set-Cookie',
        cookie(SESSION_COOKIE, accessToken, {
          secure: this.secure,
          maxAgeSeconds: this.config.jwtTtlSeconds,
        }),
      );
      response.redirect(303, '/desk/account?done=1');
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500 || error.status === 401)
        throw error;
      const { errors, fieldErrors } = formErrors(error, 'account', (field) =>
        field === 'currentPassword' || field === 'newPassword' ? field : undefined,
      );
      send(
        response,
        error.status,
        await this.accountPage(request, {
          errors: errors.map((entry) => ({ ...entry, field: entry.field.replace('account-', '') })),
          fieldErrors,
        }),
      );
    }
  }

  private async accountPage(
    request: DeskRequest,
    state: { banner?: object; errors?: object[]; fieldErrors?: Record<string, string> },
  ): Promise<string> {
    const actor = request.actor!;
    const mustChange = (await this.actors.loadSession(actor.id))?.mustChangePassword ?? false;
    return this.views.render(
      'account',
      {
        title: '修改密码',
        banner: state.banner,
        errors: state.errors ?? [],
        fieldErrors: state.fieldErrors ?? {},
        mustChange,
      },
      this.session(request),
    );
  }

  private loginForm(
    request: DeskRequest,
    data: { next: string; username?: string; fieldErrors?: Record<string, string> },
  ): string {
    const fieldErrors = data.fieldErrors ?? {};
    return this.views.render('login', {
      csrf: request.deskFormToken,
      next: data.next,
      username: data.username ?? '',
      fieldErrors,
      errors: Object.entries(fieldErrors).map(([field, message]) => ({ field, message })),
      title: '登录',
    });
  }

  private session(request: DeskRequest) {
    return { actor: request.actor!, csrf: request.deskFormToken ?? '' };
  }
}
