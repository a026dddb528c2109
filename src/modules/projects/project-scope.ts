import type { ScopeTarget } from '../auth/scope-policy';
import type { Project } from './project.entity';

/** A project is visible in its district, and to the towns and villages it covers. */
export function projectScope(project: Project, townCodes: string[]): ScopeTarget {
  return {
    districtCodes: [project.districtCode],
    townCodes,
    villageCodes: (project.villages ?? []).map((village) => village.villageCode),
  };
}
