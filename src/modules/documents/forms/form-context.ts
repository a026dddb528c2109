import { type DataSource } from 'typeorm';

import { formatYuan } from '../../../common/values/decimal-units';

import type { Actor } from '../../auth/actor';
import { type CalculationService } from '../../contracts/calculation.service';

import type { ContractDto } from '../../contracts/dto/contract.dto';

import { type Organisation } from '../../organisations/organisation.entity';

import { type Project } from '../../projects/project.entity';
import { type Region } from '../../regions/region.entity';

import { toChineseCapital } from '../chinese-amount';

import { type PdfForm } from '../pdf-form';

/** What every form is built from: the contract as its reader may see it, and what it names. */
export interface FormContext {
  dataSource: DataSource;
  calculation: CalculationService;
  actor: Actor;
  contract: ContractDto;
  query: { taskCode?: string; villageCode?: string };
  baseUrl: string;
  project: Project;
  organisation: Organisation;
  villages: Region[];
  villageName: (code: string) => string;
  /** The fields every form starts with: project, organisation, contract and its signing date. */
  head: [string, string][];
  districtName: string;
}

export type Draw = (form: PdfForm) => unknown;

/** A form's content (hashed into its digest) and its drawing. */
export interface FormDescription {
  content: Record<string, unknown>;
  draw: Draw;
}

export const ROLE_NAMES: Record<string, string> = {
  technical_guidance: '技术指导组成员',
  township_leader: '乡镇分管负责人',
  station_head: '农业综合服务站长',
  farmer_supervisor: '农民监督员',
  agriculture: '区农委',
  finance: '区财政局',
};

export const ATTACHMENT_NAMES: Record<string, string> = {
  legal_person_certificate: '法人代码证书（身份证）',
  contract_scan: '服务合同',
  register_scan: '签字清册',
  other: '其他材料',
};

/** [谯城区农业农村委员会, 项目审核]: the bureau of the district, and its part in the audit. */
export function approverTitle(bureau: string | null, districtName: string): [string, string] {
  if (bureau === 'agriculture') return [`${districtName}农业农村委员会`, '项目审核'];
  if (bureau === 'finance') return [`${districtName}财政局`, '资金审核'];
  return [bureau ?? '', ''];
}

export const yuan = (fen: number): string => `${formatYuan(fen)} 元`;
export const money = (fen: number): string => `${yuan(fen)}（大写：${toChineseCapital(fen)}）`;
