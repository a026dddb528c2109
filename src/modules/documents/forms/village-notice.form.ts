import { qrPng } from '../qr-png';

import { shanghaiDate } from '../../../common/clock/shanghai-date';

import { formatMu } from '../../../common/values/decimal-units';

import { RegisterRow } from '../../field-work/register-row.entity';
import { disclose } from '../../auth/disclosure-policy';
import { Notice } from '../../notices/notice.entity';

import { documentNotAvailable } from '../documents.errors';
import { assessmentText, noticeStateView } from '../../board/board-labels';

import { type FormContext, type FormDescription } from './form-context';
import { msg } from '../../../common/i18n/message';

/** village-notice: what it says and how it is drawn. */
export async function villageNoticeForm(context: FormContext): Promise<FormDescription> {
  const { dataSource, contract, query, baseUrl, head } = context;
  const notice = await dataSource.getRepository(Notice).findOne({
    where: {
      contractId: contract.id,
      kind: 'village',
      ...(query.taskCode ? { taskCode: query.taskCode } : {}),
      ...(query.villageCode ? { villageCode: query.villageCode } : {}),
    },
    order: { openedAt: 'DESC' },
  });
  if (!notice) throw documentNotAvailable(msg('document.villageNoticeNotYet'));
  const rows = await dataSource.getRepository(RegisterRow).find({
    where: {
      contractId: contract.id,
      taskCode: notice.taskCode as string,
      villageCode: notice.villageCode as string,
      state: 'claimed',
    },
    order: { rowNo: 'ASC' },
  });
  const noticeUrl = `${baseUrl}/board/notices/${notice.id}`; // the villagers' HTML page
  const noticeQr = qrPng(noticeUrl, { scale: 5 });
  const table = rows.map((row) => [
    row.householdName,
    disclose(null, 'residentId', row.householdIdNo),
    row.plotCode,
    formatMu(row.verifiedArea ?? row.area),
  ]);
  const [assessment] = await dataSource.query<{ quality: string; note: string | null }[]>(
    'SELECT quality, note FROM village_assessment WHERE notice_id = $1',
    [notice.id],
  );
  const judgement = assessment ? assessmentText(assessment.quality, assessment.note) : null;
  // A notice printed after it closed says so, and why, instead of inviting objections: a
  // withdrawn one (an upheld objection) must not read as the notice in force.
  const running = notice.state === 'running';
  const state = noticeStateView(notice.state, 'village');
  const content = {
    subject: notice.title,
    noticeId: notice.id,
    state: notice.state,
    table,
    ...(judgement ? { assessment: judgement } : {}),
  };
  return {
    content,
    draw: (form) =>
      form
        .title('公示', notice.title)
        .fields([
          ...head,
          ['公示期', `${shanghaiDate(notice.openedAt)} 至 ${shanghaiDate(notice.endsAt)}（7 天）`],
          ...(running ? [] : ([['公示状态', state.label]] as [string, string][])),
          ...(judgement ? ([['村质量和成效评价', judgement]] as [string, string][]) : []),
        ])
        .table(
          [
            { header: '农户', width: 100 },
            { header: '身份证号', width: 150 },
            { header: '地块编号', width: 130 },
            { header: '核实面积(亩)', width: 119, align: 'right' },
          ],
          table,
        )
        .paragraph(
          running
            ? '如有异议，请于公示期内向村核实小组反映，或扫描下方二维码在网上公示页面提出异议（姓名、电话、异议内容）。扫描页脚二维码可核验本公示的真实性。'
            : `${state.reason}扫描页脚二维码可核验本公示的真实性。`,
        )
        .qrCode(noticeQr, `${running ? '网上公示与异议' : '网上公示'}：\n${noticeUrl}`)
        .signatureBoxes(['村民委员会（盖章）']),
  };
}
