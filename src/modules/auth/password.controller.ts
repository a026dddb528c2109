import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, PasswordChange } from './access.decorators';
import type { Actor } from './actor';
import { ChangePasswordDto, ChangePasswordResponseDto } from './dto/change-password.dto';
import { PasswordChangeService } from './password-change.service';

@ApiTags('system')
@Controller('auth')
export class PasswordController {
  constructor(private readonly passwords: PasswordChangeService) {}

  @ApiOperation({ summary: 'Change your own password; every other token of yours stops working' })
  @Post('password')
  @PasswordChange()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ChangePasswordResponseDto })
  @ApiBadRequestResponse({
    description:
      'Wrong currentPassword, or a newPassword under 10 characters, equal to the username or a common password (VALIDATION_FAILED)',
  })
  change(
    @CurrentActor() actor: Actor,
    @Body() dto: ChangePasswordDto,
  ): Promise<ChangePasswordResponseDto> {
    return this.passwords.change(actor, dto);
  }
}
