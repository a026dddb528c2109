import { Body, Controller, HttpCode, HttpStatus, Ip, Post } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { Public } from './access.decorators';
import { AuthService } from './auth.service';
import { LoginDto, LoginResponseDto } from './dto/login.dto';

@ApiTags('system')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @ApiOperation({ summary: 'Log in: a bearer token and who you are' })
  @Post('login')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiUnauthorizedResponse({ description: 'Wrong username or password (UNAUTHENTICATED)' })
  @ApiTooManyRequestsResponse({
    description:
      'Too many wrong passwords for this username or from this address (TOO_MANY_REQUESTS, Retry-After)',
  })
  login(@Body() dto: LoginDto, @Ip() client: string): Promise<LoginResponseDto> {
    return this.auth.login(dto, client);
  }
}
