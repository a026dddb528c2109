import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

/** Which task line's or village's document (GET /contracts/:id/documents/:kind and the desk's). */
export class DocumentQuery {
  @ApiPropertyOptional({ description: 'register, village-notice, acceptance: the task line' })
  @IsOptional()
  @IsString()
  @Length(1, 20)
  taskCode?: string;

  @ApiPropertyOptional({ description: 'village-notice: the village' })
  @IsOptional()
  @IsString()
  @Length(1, 20)
  villageCode?: string;
}
