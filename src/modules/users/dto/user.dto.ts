import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { PageQueryDto } from '../../../common/http/page.dto';
import { ACCEPTANCE_ROLES, ROLES, type AcceptanceRole, type Role } from '../../auth/roles';
import { AcceptablePassword } from './acceptable-password';

export class CreateUserDto {
  @ApiProperty({ example: 'wangge_verifier' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{3,64}$/, {
    message: 'username must be 3-64 letters, digits, ".", "_" or "-"',
  })
  username!: string;

  @ApiProperty({
    minLength: 10,
    maxLength: 128,
    description: 'At least 10 characters, not the username, not a common password',
  })
  @IsString()
  @AcceptablePassword('username')
  password!: string;

  @ApiProperty({ example: '王各村核实员' })
  @IsString()
  @Length(1, 100)
  displayName!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Required for, and only for, role cooperative',
  })
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @ApiPropertyOptional({
    description:
      'village (village_verifier), town (town_acceptor) or district (district_agri, district_finance, observer)',
  })
  @IsOptional()
  @IsString()
  regionCode?: string;

  @ApiPropertyOptional({
    enum: ACCEPTANCE_ROLES,
    description: 'Required for, and only for, role town_acceptor',
  })
  @IsOptional()
  @IsIn(ACCEPTANCE_ROLES)
  acceptanceRole?: AcceptanceRole;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) organisationId!: string | null;
  @ApiProperty({ type: String, nullable: true }) regionCode!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ACCEPTANCE_ROLES })
  acceptanceRole!: AcceptanceRole | null;
  @ApiProperty() active!: boolean;
  @ApiProperty({ description: 'A temporary password (an admin reset it) waits to be changed' })
  mustChangePassword!: boolean;
}

/** `true`/`false` in a query string. */
const booleanQuery = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class UserQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(20)
  regionCode?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(booleanQuery)
  @IsBoolean()
  active?: boolean;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ example: '王各村核实员' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  displayName?: string;

  @ApiPropertyOptional({
    description:
      'false: the user’s sessions and tokens end at once and its login is refused; an admin cannot deactivate itself (409 CANNOT_DEACTIVATE_SELF)',
  })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ResetPasswordDto {
  @ApiProperty({
    minLength: 10,
    maxLength: 128,
    description:
      'A temporary password: the user must change it at first use; its sessions end at once',
  })
  @IsString()
  @AcceptablePassword()
  password!: string;
}
