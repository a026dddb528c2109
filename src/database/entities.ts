import { AuditEvent } from '../modules/audit-log/audit-event.entity';
import {
  Contract,
  ContractHistory,
  ContractTaskLine,
  ContractVillage,
} from '../modules/contracts/contract.entity';
import { Organisation } from '../modules/organisations/organisation.entity';
import { Project, ProjectTask, ProjectVillage } from '../modules/projects/project.entity';
import { Region } from '../modules/regions/region.entity';
import {
  Award,
  Bid,
  BidScore,
  Lot,
  LotTask,
  Tender,
  TenderEvent,
  TenderInvitation,
} from '../modules/tenders/tender.entity';
import { User } from '../modules/users/user.entity';

/** Every entity, listed once for the app and the migration CLI alike. */
export const ENTITIES = [
  Region,
  Organisation,
  User,
  AuditEvent,
  Project,
  ProjectVillage,
  ProjectTask,
  Tender,
  TenderInvitation,
  Lot,
  LotTask,
  Bid,
  BidScore,
  Award,
  TenderEvent,
  Contract,
  ContractTaskLine,
  ContractVillage,
  ContractHistory,
];
