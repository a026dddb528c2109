import {
  AcceptanceRecord,
  AcceptanceSignature,
} from './modules/acceptance/acceptance-record.entity';
import { AuditEvent } from './modules/audit-log/audit-event.entity';
import { AppClock } from './modules/clock/app-clock.entity';
import {
  Contract,
  ContractHistory,
  ContractTaskLine,
  ContractVillage,
  ContractVillagePart,
} from './modules/contracts/contract.entity';
import { IssuedDocument } from './modules/documents/issued-document.entity';
import { Attachment } from './modules/field-work/attachment.entity';
import { RegisterRow } from './modules/field-work/register-row.entity';
import { Notice, Objection, Timer } from './modules/notices/notice.entity';
import {
  PaymentBatch,
  PaymentBatchPayout,
  PaymentBatchResult,
} from './modules/payment-batches/payment-batch.entity';
import { IdempotencyKey, Payout } from './modules/payouts/payout.entity';
import {
  OrganisationBlacklistEntry,
  OrganisationListing,
} from './modules/organisations/directory.entity';
import { Organisation } from './modules/organisations/organisation.entity';
import { SubsidyPolicy } from './modules/policies/policy.entity';
import { Project, ProjectTask, ProjectVillage } from './modules/projects/project.entity';
import { Region } from './modules/regions/region.entity';
import {
  Award,
  Bid,
  BidScore,
  Lot,
  LotTask,
  Tender,
  TenderEvent,
  TenderInvitation,
} from './modules/tenders/tender.entity';
import { User } from './modules/users/user.entity';

/**
 * Every entity of the app's modules, listed with the app's composition (AppModule hands it to
 * DatabaseModule; the migration CLI compares it with the schema). The database layer itself
 * knows no module.
 */
export const APP_ENTITIES = [
  Region,
  Organisation,
  OrganisationListing,
  OrganisationBlacklistEntry,
  SubsidyPolicy,
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
  ContractVillagePart,
  Notice,
  Objection,
  Timer,
  AppClock,
  RegisterRow,
  Attachment,
  AcceptanceRecord,
  AcceptanceSignature,
  Payout,
  IdempotencyKey,
  IssuedDocument,
  PaymentBatch,
  PaymentBatchPayout,
  PaymentBatchResult,
];
