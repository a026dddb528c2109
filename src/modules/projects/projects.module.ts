import { Module } from '@nestjs/common';
import { ProjectsController } from './projects.controller';
import { ProjectSummaryService } from './project-summary.service';
import { ProjectsService } from './projects.service';

@Module({
  controllers: [ProjectsController],
  providers: [ProjectsService, ProjectSummaryService],
  exports: [ProjectsService, ProjectSummaryService],
})
export class ProjectsModule {}
