import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, In, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { notFound } from '../../common/errors/domain-error';
import type { Page, PageQueryDto } from '../../common/http/page.dto';
import { formatMu, formatYuan, toHundredths } from '../../common/values/decimal-units';
import { AuditLogService, districtChain } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import { assertInScope } from '../auth/scope-policy';
import { Region } from '../regions/region.entity';
import type { CreateProjectDto, ProjectDto } from './dto/project.dto';
import { Project, ProjectTask, ProjectVillage } from './project.entity';
import { projectScope } from './project-scope';
import { projectError } from './projects.errors';
import { msg } from '../../common/i18n/message';

export function toProjectDto(project: Project): ProjectDto {
  return {
    id: project.id,
    code: project.code,
    name: project.name,
    year: project.year,
    districtCode: project.districtCode,
    villageCodes: (project.villages ?? []).map((village) => village.villageCode).sort(),
    tasks: (project.tasks ?? [])
      .map((task) => ({
        code: task.code,
        name: task.name,
        plannedAreaMu: formatMu(task.plannedArea),
      }))
      .sort((a, b) => a.code.localeCompare(b.code)),
    serviceStart: project.serviceStart,
    serviceEnd: project.serviceEnd,
    budgetFen: project.budgetFen,
    budgetYuan: project.budgetFen === null ? null : formatYuan(project.budgetFen),
  };
}

@Injectable()
export class ProjectsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly auditLog: AuditLogService,
  ) {}

  async create(actor: Actor, dto: CreateProjectDto): Promise<ProjectDto> {
    // A district official plans projects of their own district only.
    if (actor.role !== 'admin' && actor.districtCode !== dto.districtCode)
      throw notFound('District', dto.districtCode);
    if (dto.serviceEnd < dto.serviceStart) {
      throw projectError('SERVICE_WINDOW_INVALID', msg('project.serviceWindow'), 'serviceEnd');
    }
    const taskCodes = dto.tasks.map((task) => task.code);
    const duplicate = taskCodes.find((code, index) => taskCodes.indexOf(code) !== index);
    if (duplicate)
      throw projectError(
        'DUPLICATE_TASK_CODE',
        msg('project.duplicateTask', { taskCode: duplicate }),
        'tasks',
      );

    return this.dataSource.transaction(async (manager) => {
      const district = await manager.findOneBy(Region, {
        code: dto.districtCode,
        level: 'district',
      });
      if (!district) throw notFound('District', dto.districtCode);
      const villages = await manager.findBy(Region, {
        code: In(dto.villageCodes),
        level: 'village',
      });
      const outside = dto.villageCodes.filter(
        (code) =>
          !villages.some(
            (village) => village.code === code && village.districtCode === district.code,
          ),
      );
      if (outside.length > 0) {
        throw projectError(
          'UNKNOWN_VILLAGE',
          msg('project.unknownVillages', {
            districtCode: district.code,
            villages: outside.join(', '),
          }),
          'villageCodes',
        );
      }
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `project:${dto.districtCode}:${dto.code}`,
      ]);
      if (await manager.existsBy(Project, { districtCode: dto.districtCode, code: dto.code })) {
        throw projectError(
          'PROJECT_CODE_TAKEN',
          msg('project.codeTaken', { code: dto.code, districtCode: dto.districtCode }),
        );
      }
      const project = manager.create(Project, {
        code: dto.code,
        name: dto.name,
        year: dto.year,
        districtCode: dto.districtCode,
        serviceStart: dto.serviceStart,
        serviceEnd: dto.serviceEnd,
        budgetFen: dto.budgetYuan === undefined ? null : (toHundredths(dto.budgetYuan) as number),
        createdBy: actor.id,
        villages: dto.villageCodes.map((villageCode) =>
          manager.create(ProjectVillage, { villageCode }),
        ),
        tasks: dto.tasks.map((task) =>
          manager.create(ProjectTask, {
            code: task.code,
            name: task.name,
            plannedArea: toHundredths(task.plannedAreaMu) as number,
          }),
        ),
      });
      // Parent, then children, one statement each: TypeORM's cascading save loads the children
      // in parallel on the transaction's one connection, which pg deprecates.
      project.id = randomUUID();
      const { villages: projectVillages, tasks, ...row } = project;
      await manager.insert(Project, row);
      await manager.insert(
        ProjectVillage,
        (projectVillages ?? []).map((village) => ({ ...village, projectId: project.id })),
      );
      await manager.insert(
        ProjectTask,
        (tasks ?? []).map((task) => ({ ...task, projectId: project.id })),
      );
      const result = toProjectDto(project);
      await this.auditLog.record(manager, {
        chain: districtChain(project.districtCode),
        actor,
        action: 'project.created',
        entityType: 'project',
        entityId: project.id,
        data: { ...result },
      });
      return result;
    });
  }

  async get(actor: Actor, id: string): Promise<ProjectDto> {
    const project = await this.load(this.dataSource.manager, id);
    await this.assertVisible(actor, project);
    return toProjectDto(project);
  }

  async list(actor: Actor, query: PageQueryDto): Promise<Page<ProjectDto>> {
    const builder = this.dataSource
      .getRepository(Project)
      .createQueryBuilder('p')
      .orderBy('p.year', 'DESC')
      .addOrderBy('p.code', 'ASC')
      .take(query.limit)
      .skip(query.offset);
    this.scopeQuery(actor, builder);
    const [rows, total] = await builder.getManyAndCount();
    const full = rows.length
      ? await this.dataSource.getRepository(Project).find({
          where: { id: In(rows.map((row) => row.id)) },
          relations: { villages: true, tasks: true },
        })
      : [];
    const byId = new Map(full.map((project) => [project.id, project]));
    return { items: rows.map((row) => toProjectDto(byId.get(row.id) as Project)), total };
  }

  /** The project with its villages and tasks, or NOT_FOUND. */
  async load(manager: EntityManager, id: string): Promise<Project> {
    const project = await manager.findOne(Project, {
      where: { id },
      relations: { villages: true, tasks: true },
    });
    if (!project) throw notFound('Project', id);
    return project;
  }

  async assertVisible(actor: Actor, project: Project): Promise<void> {
    if (actor.role === 'cooperative') {
      // Cooperatives see the projects they were invited to bid on, may bid on, or work in.
      const [{ visible }] = await this.dataSource.query<{ visible: boolean }[]>(
        `SELECT EXISTS (SELECT 1 FROM tender t LEFT JOIN tender_invitation i ON i.tender_id = t.id
                         WHERE t.project_id = $1 AND (t.method = 'open' OR i.organisation_id = $2))
             OR EXISTS (SELECT 1 FROM contract c WHERE c.project_id = $1 AND c.organisation_id = $2) AS visible`,
        [project.id, actor.organisationId],
      );
      if (!visible) throw notFound('Project', project.id);
      return;
    }
    const villages = await this.dataSource.getRepository(Region).findBy({
      code: In((project.villages ?? []).map((village) => village.villageCode)),
    });
    const townCodes = [...new Set(villages.map((village) => village.townCode as string))];
    assertInScope(actor, projectScope(project, townCodes), 'Project', project.id);
  }

  private scopeQuery(actor: Actor, builder: SelectQueryBuilder<Project>): void {
    switch (actor.role) {
      case 'admin':
        return;
      case 'district_agri':
      case 'district_finance':
      case 'observer':
        builder.where('p.district_code = :district', { district: actor.districtCode });
        return;
      case 'town_acceptor':
        builder.where(
          `EXISTS (SELECT 1 FROM project_village pv JOIN region r ON r.code = pv.village_code
                    WHERE pv.project_id = p.id AND r.town_code = :town)`,
          { town: actor.townCode },
        );
        return;
      case 'village_verifier':
        builder.where(
          'EXISTS (SELECT 1 FROM project_village pv WHERE pv.project_id = p.id AND pv.village_code = :village)',
          {
            village: actor.villageCode,
          },
        );
        return;
      case 'cooperative':
        builder.where(
          new Brackets((where) =>
            where
              .where(
                `EXISTS (SELECT 1 FROM tender t LEFT JOIN tender_invitation i ON i.tender_id = t.id
                          WHERE t.project_id = p.id AND (t.method = 'open' OR i.organisation_id = :org))`,
              )
              .orWhere(
                'EXISTS (SELECT 1 FROM contract c WHERE c.project_id = p.id AND c.organisation_id = :org)',
              ),
          ),
          { org: actor.organisationId },
        );
        return;
    }
  }
}
