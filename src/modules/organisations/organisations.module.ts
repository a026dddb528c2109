import { Module } from '@nestjs/common';
import { OrganisationsController } from './organisations.controller';
import { DirectoryService } from './directory.service';
import { OrganisationsService } from './organisations.service';

@Module({
  controllers: [OrganisationsController],
  providers: [OrganisationsService, DirectoryService],
  exports: [OrganisationsService, DirectoryService],
})
export class OrganisationsModule {}
