import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { NoticesModule } from '../notices/notices.module';
import { BoardController } from './board.controller';
import { SiteFilesController } from './site-files.controller';
import { BoardFormBodyMiddleware } from './board-form-body.middleware';
import { BoardQueries } from './board.queries';
import { BoardService } from './board.service';
import { BoardViews } from './board-views';

@Module({
  imports: [NoticesModule],
  controllers: [BoardController, SiteFilesController],
  providers: [BoardService, BoardQueries, BoardViews],
})
export class BoardModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(BoardFormBodyMiddleware)
      .forRoutes({ path: 'board/notices/:id/objections', method: RequestMethod.POST });
  }
}
