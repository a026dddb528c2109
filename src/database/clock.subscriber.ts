import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntitySubscriberInterface, InsertEvent } from 'typeorm';
import { Clock } from '../common/clock/clock';

/**
 * Every row's `createdAt` (the `@CreateDateColumn`s) from the app's clock, not the database's:
 * the test clock and a replayed past season (Clock.runAt) then stamp rows with their own time,
 * like every other instant the app writes. A value the code sets itself is kept.
 */
@Injectable()
export class ClockSubscriber implements EntitySubscriberInterface {
  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    dataSource.subscribers.push(this);
  }

  beforeInsert(event: InsertEvent<Record<string, unknown>>): void {
    const column = event.metadata.createDateColumn;
    if (!column || !event.entity) return;
    if (event.entity[column.propertyName] === undefined)
      event.entity[column.propertyName] = this.clock.now();
  }
}
