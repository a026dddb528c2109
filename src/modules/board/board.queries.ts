import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A notice with the names a villager reads (project, task, village, town, organisation). */
export interface BoardNoticeRow {
  id: string;
  kind: 'village' | 'media';
  title: string;
  state: string;
  opened_at: Date;
  ends_at: Date;
  closed_at: Date | null;
  media_name: string | null;
  organisation_name: string;
  project_name: string;
  project_year: number;
  task_name: string | null;
  village_name: string | null;
  town_code: string | null;
  town_name: string | null;
  district_name: string | null;
  objections: number;
  open_objections: number;
  /** The village's assessment with the verification this notice came from. */
  assessment_quality: string | null;
  assessment_note: string | null;
}

/** What the public may know of an objection: never who filed it or their phone number. */
export interface BoardObjectionRow {
  id: string;
  state: string;
  created_at: Date;
  resolution_note: string | null;
  resolved_at: Date | null;
  register_row_id: string | null;
}

const NOTICE_SELECT = `
  SELECT n.id, n.kind, n.title, n.state, n.opened_at, n.ends_at, n.closed_at, n.media_name,
         o.name AS organisation_name, p.name AS project_name, p.year AS project_year,
         t.name AS task_name,
         v.name AS village_name, tw.code AS town_code, tw.name AS town_name, d.name AS district_name,
         (SELECT count(*)::int FROM objection ob WHERE ob.notice_id = n.id) AS objections,
         (SELECT count(*)::int FROM objection ob WHERE ob.notice_id = n.id AND ob.state = 'open')
           AS open_objections,
         va.quality AS assessment_quality, va.note AS assessment_note
    FROM notice n
    LEFT JOIN village_assessment va ON va.notice_id = n.id
    JOIN contract c ON c.id = n.contract_id
    JOIN organisation o ON o.id = c.organisation_id
    JOIN project p ON p.id = c.project_id
    LEFT JOIN project_task t ON t.project_id = c.project_id AND t.code = n.task_code
    LEFT JOIN region v ON v.code = n.village_code
    LEFT JOIN region tw ON tw.code = v.town_code
    LEFT JOIN region d ON d.code = n.district_code`;

/** The board's reads: read-only, one statement each. */
@Injectable()
export class BoardQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Running notices (including those kept open by an objection), by town and village. */
  runningNotices(): Promise<BoardNoticeRow[]> {
    return this.dataSource.query<BoardNoticeRow[]>(
      `${NOTICE_SELECT}
        WHERE n.state = 'running'
        ORDER BY d.name, tw.name NULLS LAST, tw.code, v.name, v.code, n.ends_at, n.id
        LIMIT 2000`,
    );
  }

  async notice(id: string): Promise<BoardNoticeRow | undefined> {
    const [row] = await this.dataSource.query<BoardNoticeRow[]>(
      `${NOTICE_SELECT} WHERE n.id = $1`,
      [id],
    );
    return row;
  }

  objections(noticeId: string): Promise<BoardObjectionRow[]> {
    return this.dataSource.query<BoardObjectionRow[]>(
      `SELECT id, state, created_at, resolution_note, resolved_at, register_row_id
         FROM objection WHERE notice_id = $1 ORDER BY created_at, id LIMIT 1000`,
      [noticeId],
    );
  }
}
