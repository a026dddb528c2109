import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { REGION_LEVELS, type RegionLevel } from '../region.entity';

const REGION_CODE = /^[0-9]{6,12}$/;

export class CreateRegionDto {
  @ApiProperty({ example: '341602', description: 'Administrative division code, 6 to 12 digits' })
  @IsString()
  @Matches(REGION_CODE, { message: 'code must be 6 to 12 digits' })
  code!: string;

  @ApiProperty({ example: '谯城区' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: REGION_LEVELS })
  @IsIn(REGION_LEVELS)
  level!: RegionLevel;

  @ApiPropertyOptional({
    example: '341602',
    description: 'Required for towns (a district) and villages (a town)',
  })
  @IsOptional()
  @IsString()
  @Matches(REGION_CODE, { message: 'parentCode must be 6 to 12 digits' })
  parentCode?: string;
}

export class RegionDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: REGION_LEVELS }) level!: RegionLevel;
  @ApiProperty({ type: String, nullable: true }) parentCode!: string | null;
  @ApiProperty() districtCode!: string;
  @ApiProperty({ type: String, nullable: true }) townCode!: string | null;
}
