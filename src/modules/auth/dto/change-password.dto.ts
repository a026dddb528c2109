import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @Length(1, 128)
  currentPassword!: string;

  @ApiProperty({
    minLength: 10,
    maxLength: 128,
    description: 'At least 10 characters, not the username, not a common password',
  })
  @IsString()
  @Length(1, 128)
  newPassword!: string;
}

export class ChangePasswordResponseDto {
  @ApiProperty({ description: 'A new token: every other token of the user has stopped working' })
  accessToken!: string;
}
