import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiTwoDecimals } from '../../../common/http/api-decimal';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  ValidateNested,
} from 'class-validator';
import { IsTwoDecimals, MAX_AREA_HUNDREDTHS } from '../../../common/values/decimal.validators';
import { ACCEPTANCE_ROLES } from '../../auth/roles';

export class AcceptedVillageInput {
  @ApiProperty()
  @IsString()
  @Length(1, 20)
  villageCode!: string;

  @ApiTwoDecimals({
    example: '6.25',
    description: 'mu; at most the verified area',
    max: MAX_AREA_HUNDREDTHS,
  })
  @IsTwoDecimals({ max: MAX_AREA_HUNDREDTHS })
  acceptedAreaMu!: number | string;
}

export class OpenAcceptanceDto {
  @ApiProperty({
    type: [AcceptedVillageInput],
    description: 'Every village part of the task line, once',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => AcceptedVillageInput)
  villages!: AcceptedVillageInput[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;
}

export class ReviseAcceptanceDto extends OpenAcceptanceDto {}

export class SignAcceptanceDto {
  @ApiProperty({ enum: ['pass', 'fail'] })
  @IsIn(['pass', 'fail'])
  decision!: 'pass' | 'fail';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;
}

export class ReworkDto {
  @ApiProperty({ example: '部分地块秸秆未粉碎到位，需返工' })
  @IsString()
  @Length(1, 2000)
  note!: string;
}

export class AcceptanceRecordCreatedDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() revision!: number;
}

export class SignatureResultDto {
  @ApiProperty({ description: 'Distinct members who signed pass' }) passCount!: number;
  @ApiProperty({ enum: ACCEPTANCE_ROLES, isArray: true }) rolesCovered!: string[];
  @ApiProperty({
    description: '≥ 5 pass signers covering the four roles: the task line is accepted',
  })
  complete!: boolean;
  @ApiProperty({ enum: ['open', 'failed', 'complete'] }) recordState!: string;
}
