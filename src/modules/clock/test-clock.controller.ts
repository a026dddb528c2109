import { Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import { IsNumber, IsOptional, Max, Min } from 'class-validator';
import { Clock } from '../../common/clock/clock';
import { validationFailed } from '../../common/errors/domain-error';
import { Roles } from '../auth/access.decorators';
import { NoticeSchedulerService } from '../notices/notice-scheduler.service';
import type { OffsetClock } from './offset-clock';
import { msg } from '../../common/i18n/message';

class AdvanceClockDto {
  @ApiPropertyOptional({ example: 7, description: 'Fractions allowed' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(3650)
  advanceDays?: number;

  @ApiPropertyOptional({ example: 1.5 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(87600)
  advanceHours?: number;
}

class ClockDto {
  @ApiProperty({ format: 'date-time' }) now!: string;
  @ApiProperty({ description: 'Timers fired before answering' }) fired!: number;
}

/** Only with TEST_CLOCK=1 (never in production): moves the app's time forward and fires due timers. */
@ApiTags('system')
@Controller('__test__/clock')
export class TestClockController {
  constructor(
    @Inject(Clock) private readonly clock: OffsetClock,
    private readonly scheduler: NoticeSchedulerService,
  ) {}

  @ApiOperation({ summary: "Move the app's clock forward and run due timers (TEST_CLOCK=1 only)" })
  @Post()
  @Roles('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ClockDto })
  async advance(@Body() dto: AdvanceClockDto): Promise<ClockDto> {
    if (dto.advanceDays === undefined && dto.advanceHours === undefined) {
      throw validationFailed([{ field: 'advanceDays', message: msg('clock.advanceMissing') }]);
    }
    const ms = ((dto.advanceDays ?? 0) * 24 + (dto.advanceHours ?? 0)) * 3_600_000;
    const now = await this.clock.advance(ms);
    const fired = await this.scheduler.runDue();
    return { now: now.toISOString(), fired };
  }
}
