import { Body, Controller, HttpCode, HttpStatus, Ip, Post, UseInterceptors } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { Public } from './access.decorators';
import { AuthService } from './auth.service';
import { LoginDto, LoginResponseDto } from './dto/login.dto';
import { LoginFailureInterceptor } from './login-throttle';

@ApiTags('system')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @ApiOperation({ summary: 'Log in: a bearer token and who you are' })
  @Post('login')
  @Public()
  @HttpCode(HttpStatus.OK)
  @UseInterceptors(LoginFailureInterceptor)
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiPayloadTooLargeResponse({
    description: 'A body over 1 kB (PAYLOAD_TOO_LARGE), refused before it is read',
  })
  @ApiUnauthorizedResponse({ description: 'Wrong username or password (UNAUTHENTICATED)' })
  @ApiTooManyRequestsResponse({
    description:
      'Too many wrong passwords for this username from this address, or too many failed logins from this address (TOO_MANY_REQUESTS, Retry-After); failures elsewhere only slow a username down',
  })
  login(@Body() dto: LoginDto, @Ip() client: string): Promise<LoginResponseDto> {
    return this.auth.login(dto, client);
  }
}
