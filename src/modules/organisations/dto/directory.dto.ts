import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length } from 'class-validator';
import { IsCalendarDate } from '../../../common/values/decimal.validators';

export class CreateListingDto {
  @ApiProperty({ example: '2024-01-01' })
  @IsCalendarDate()
  listedOn!: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Inclusive; open-ended without it' })
  @IsOptional()
  @IsCalendarDate()
  listedUntil?: string;
}

export class CreateBlacklistEntryDto {
  @ApiProperty({ example: '虚报作业面积' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(2, 2000)
  reason!: string;

  @ApiProperty({ example: '2025-03-01' })
  @IsCalendarDate()
  from!: string;

  @ApiPropertyOptional({
    example: '2030-02-28',
    description: 'Inclusive; without it, five years from `from`',
  })
  @IsOptional()
  @IsCalendarDate()
  until?: string;
}

export class ListingDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() listedOn!: string;
  @ApiProperty({ nullable: true, type: String }) listedUntil!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The district that listed it' })
  districtCode!: string | null;
}

export class BlacklistEntryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() from!: string;
  @ApiProperty() until!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The district that made the entry' })
  districtCode!: string | null;
}
