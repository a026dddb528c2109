import { shanghaiDateTime } from '../../../common/clock/shanghai-date';
import { assessmentText } from '../../board/board-labels';

import { formatMu } from '../../../common/values/decimal-units';

import {
  AcceptanceRecord,
  AcceptanceSignature,
  type AcceptanceRecordState,
} from '../../acceptance/acceptance-record.entity';

import { Region } from '../../regions/region.entity';

import { documentNotAvailable } from '../documents.errors';

import { ROLE_NAMES, type FormContext, type FormDescription } from './form-context';
import { msg } from '../../../common/i18n/message';

/** What the form's title says of its record (the record's own state, not the machine's). */
const RECORD_STATES: Record<AcceptanceRecordState, string> = {
  open: '验收中（签字未齐）',
  failed: '验收未通过',
  complete: '验收通过',
  superseded: '已作废（已有新版）',
};

/** acceptance: what it says and how it is drawn. */
export async function acceptanceForm(context: FormContext): Promise<FormDescription> {
  const { dataSource, contract, query, villages, villageName, head } = context;
  const record = await dataSource.getRepository(AcceptanceRecord).findOne({
    where: {
      contractId: contract.id,
      ...(query.taskCode ? { taskCode: query.taskCode } : {}),
    },
    order: { createdAt: 'DESC' },
  });
  if (!record) throw documentNotAvailable(msg('document.noAcceptanceRecord'));
  const signatures = await dataSource
    .getRepository(AcceptanceSignature)
    .find({ where: { recordId: record.id }, order: { signedAt: 'ASC' } });
  const line = contract.taskLines.find((candidate) => candidate.taskCode === record.taskCode);
  const townCode = villages.find((village) => village.townCode)?.townCode ?? null;
  const town = townCode
    ? await dataSource.getRepository(Region).findOneBy({ code: townCode })
    : null;
  // 验收小组: the town's key-technology acceptance group, as the report names it.
  const group = `${town?.name ?? townCode ?? ''}关键技术落实验收小组`;
  const villagesTable = record.villages.map((village) => {
    const part = line?.villageParts.find(
      (candidate) => candidate.villageCode === village.villageCode,
    );
    return [
      villageName(village.villageCode),
      `${part?.verifiedAreaMu ?? ''}`,
      formatMu(village.acceptedArea),
      part?.assessment ? assessmentText(part.assessment.quality, part.assessment.note) : '',
    ];
  });
  const signers = signatures.map((s) => [
    s.displayName,
    ROLE_NAMES[s.acceptanceRole] ?? s.acceptanceRole,
    s.decision === 'pass' ? '通过' : '不通过',
    shanghaiDateTime(s.signedAt),
  ]);
  const content = {
    subject: line?.taskName ?? record.taskCode,
    recordId: record.id,
    revision: record.revision,
    group,
    villagesTable,
    signers,
  };
  return {
    content,
    draw: (form) =>
      form
        .title(
          '验收表',
          `${line?.taskName ?? record.taskCode}　第 ${record.revision} 版　${RECORD_STATES[record.state]}`,
        )
        .fields([...head, ['验收小组', group]])
        .table(
          [
            { header: '村', width: 120 },
            { header: '核实面积(亩)', width: 90, align: 'right' },
            { header: '验收面积(亩)', width: 90, align: 'right' },
            { header: '村质量和成效评价', width: 199 },
          ],
          villagesTable,
        )
        .heading(`${group}签字（不少于 5 人）`)
        .table(
          [
            { header: '姓名', width: 120 },
            { header: '职责', width: 130 },
            { header: '结论', width: 70 },
            { header: '签字时间（北京时间）', width: 179 },
          ],
          signers,
        ),
  };
}
