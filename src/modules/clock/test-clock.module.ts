import { Module } from '@nestjs/common';
import { NoticesModule } from '../notices/notices.module';
import { TestClockController } from './test-clock.controller';

/** Loaded only with TEST_CLOCK=1; config refuses that in production. */
@Module({ imports: [NoticesModule], controllers: [TestClockController] })
export class TestClockModule {}
