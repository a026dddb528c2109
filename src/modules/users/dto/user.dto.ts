import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ACCEPTANCE_ROLES, ROLES, type AcceptanceRole, type Role } from '../../auth/roles';

export class CreateUserDto {
  @ApiProperty({ example: 'wangge_verifier' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{3,64}$/, {
    message: 'username must be 3-64 letters, digits, ".", "_" or "-"',
  })
  username!: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
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
}
