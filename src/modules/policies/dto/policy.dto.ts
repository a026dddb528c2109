import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiTwoDecimals } from '../../../common/http/api-decimal';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../../common/http/page.dto';
import {
  IsCalendarDate,
  IsTwoDecimals,
  MAX_BUDGET_FEN,
  MAX_UNIT_PRICE_FEN,
} from '../../../common/values/decimal.validators';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/** The district audit's sample under a policy (api.md, "District audit by sample"). */
export class AuditSampleSettingsDto {
  @ApiTwoDecimals({
    example: '20',
    description: 'Share of each village part drawn, in percent',
    positive: true,
    max: 10_000,
  })
  @IsTwoDecimals({ positive: true, max: 10_000 })
  ratePct!: number | string;

  @ApiProperty({ example: 1, description: 'At least this many rows per village part (0–1000)' })
  @IsInt()
  @Min(0)
  @Max(1000)
  minPerVillage!: number;

  @ApiTwoDecimals({
    example: '2',
    description: 'A shortfall up to this share of the sampled area (percent) pays what was seen',
    max: 10_000,
  })
  @IsTwoDecimals({ max: 10_000 })
  tolerancePct!: number | string;
}

/** As a policy shows it: percentages as strings with 2 decimals. */
export class AuditSampleSettingsView {
  @ApiProperty({ example: '20.00' }) ratePct!: string;
  @ApiProperty({ example: 1 }) minPerVillage!: number;
  @ApiProperty({ example: '2.00' }) tolerancePct!: string;
}

export class CreatePolicyDto {
  @ApiProperty({ example: 'AH-2024', description: 'Unique code of the policy' })
  @Transform(trim)
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, {
    message: 'code must be 1 to 40 letters, digits, dots, dashes or underscores',
  })
  code!: string;

  @ApiProperty({ example: '2024年农业社会化服务补助标准' })
  @Transform(trim)
  @IsString()
  @Length(2, 200)
  name!: string;

  @ApiProperty({ example: '341602' })
  @IsString()
  @Length(1, 20)
  districtCode!: string;

  @ApiProperty({ example: '2024-01-01' })
  @IsCalendarDate()
  effectiveFrom!: string;

  @ApiPropertyOptional({ example: '2024-12-31', description: 'Inclusive; open-ended without it' })
  @IsOptional()
  @IsCalendarDate()
  effectiveTo?: string;

  @ApiTwoDecimals({
    example: '30',
    description: 'Share of the service price the subsidy pays, in percent',
    positive: true,
    max: 10_000,
  })
  @IsTwoDecimals({ positive: true, max: 10_000 })
  subsidySharePct!: number | string;

  @ApiTwoDecimals({
    example: '100',
    description: 'At most this many yuan per mu',
    required: false,
    max: MAX_UNIT_PRICE_FEN,
  })
  @IsOptional()
  @IsTwoDecimals({ max: MAX_UNIT_PRICE_FEN })
  capPerMuYuan?: number | string;

  @ApiTwoDecimals({
    example: '100000',
    description: "At most this many yuan for all of one organisation's contracts under the policy",
    required: false,
    max: MAX_BUDGET_FEN,
  })
  @IsOptional()
  @IsTwoDecimals({ max: MAX_BUDGET_FEN })
  capPerOrganisationYuan?: number | string;

  @ApiProperty({ description: 'Providers must be listed in the directory (名录库) to be eligible' })
  @IsBoolean()
  requireDirectoryListing!: boolean;

  @ApiPropertyOptional({
    type: AuditSampleSettingsDto,
    description:
      'The district audit samples the register at this rate; the first approval waits for the visits. Without it: 5 %, 1 per village, 2 % tolerance, and no sample is required.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => AuditSampleSettingsDto)
  auditSample?: AuditSampleSettingsDto;
}

export class ListPoliciesQuery extends PageQueryDto {
  @ApiPropertyOptional({ example: '341602' })
  @IsOptional()
  @IsString()
  @Length(1, 20)
  districtCode?: string;
}

/** A policy as a contract pins it (`GET /contracts/:id` → `policy`). */
export class PinnedPolicyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty({ example: '30.00' }) subsidySharePct!: string;
  @ApiProperty({ nullable: true, type: String, example: '100.00' }) capPerMuYuan!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '100000.00' })
  capPerOrganisationYuan!: string | null;
  @ApiProperty({ nullable: true, type: AuditSampleSettingsView })
  auditSample!: AuditSampleSettingsView | null;
}

export class PolicyDto extends PinnedPolicyDto {
  @ApiProperty() name!: string;
  @ApiProperty() districtCode!: string;
  @ApiProperty() effectiveFrom!: string;
  @ApiProperty({ nullable: true, type: String }) effectiveTo!: string | null;
  @ApiProperty({ nullable: true, type: Number }) capPerMuFen!: number | null;
  @ApiProperty({ nullable: true, type: Number }) capPerOrganisationFen!: number | null;
  @ApiProperty() requireDirectoryListing!: boolean;
  @ApiProperty() createdAt!: string;
}
