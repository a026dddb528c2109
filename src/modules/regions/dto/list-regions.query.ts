import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { PageQueryDto } from '../../../common/http/page.dto';
import { REGION_LEVELS, type RegionLevel } from '../region.entity';

export class ListRegionsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: REGION_LEVELS })
  @IsOptional()
  @IsIn(REGION_LEVELS)
  level?: RegionLevel;

  @ApiPropertyOptional({ description: 'Only the direct children of this region' })
  @IsOptional()
  @IsString()
  parentCode?: string;
}
