import { AuditEvent } from '../modules/audit-log/audit-event.entity';
import { Organisation } from '../modules/organisations/organisation.entity';
import { Region } from '../modules/regions/region.entity';
import { User } from '../modules/users/user.entity';

/** Every entity, listed once for the app and the migration CLI alike. */
export const ENTITIES = [Region, Organisation, User, AuditEvent];
