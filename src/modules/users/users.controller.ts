import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import { ApiPage, type Page } from '../../common/http/api-page';
import { uuidParam } from '../../common/http/uuid-param';
import { AnyRole, CurrentActor, Roles } from '../auth/access.decorators';
import type { Actor } from '../auth/actor';
import {
  CreateUserDto,
  ResetPasswordDto,
  UpdateUserDto,
  UserDto,
  UserQueryDto,
} from './dto/user.dto';
import { AccountService } from './account.service';
import { UsersService } from './users.service';
import { ApiRefusals } from '../../common/http/api-refusals';

@ApiTags('administration')
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly accounts: AccountService,
  ) {}

  @ApiOperation({ summary: 'Create a user with a role and what it is bound to' })
  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: UserDto })
  @ApiRefusals('USERNAME_TAKEN')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(actor, dto);
  }

  @ApiOperation({ summary: 'List users' })
  @Get()
  @Roles('admin')
  @ApiPage(UserDto)
  list(@Query() query: UserQueryDto): Promise<Page<UserDto>> {
    return this.users.list(query);
  }

  @ApiOperation({ summary: 'The logged-in user' })
  @Get('me')
  @AnyRole()
  @ApiOkResponse({ type: UserDto })
  me(@CurrentActor() actor: Actor): Promise<UserDto> {
    return this.users.get(actor, actor.id);
  }

  @ApiOperation({ summary: 'One user' })
  @Get(':id')
  @AnyRole()
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ description: 'Not you, and you are not an admin (NOT_FOUND)' })
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam('User')) id: string): Promise<UserDto> {
    return this.users.get(actor, id);
  }

  @ApiOperation({ summary: "Change a user's display name, or deactivate or reactivate it" })
  @Patch(':id')
  @Roles('admin')
  @ApiOkResponse({ type: UserDto })
  @ApiRefusals('CANNOT_DEACTIVATE_SELF')
  update(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('User')) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserDto> {
    return this.accounts.update(actor, id, dto);
  }

  @ApiOperation({ summary: 'Set a temporary password (changed at the next login)' })
  @Post(':id/password')
  @Roles('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: UserDto, description: 'The user, with mustChangePassword: true' })
  resetPassword(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('User')) id: string,
    @Body() dto: ResetPasswordDto,
  ): Promise<UserDto> {
    return this.accounts.resetPassword(actor, id, dto);
  }
}
