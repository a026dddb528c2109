import { shanghaiDate } from '../../../common/clock/shanghai-date';

import { noticeStateView } from '../../board/board-labels';
import { Notice } from '../../notices/notice.entity';

import { documentNotAvailable } from '../documents.errors';

import { money, yuan, type FormContext, type FormDescription } from './form-context';
import { msg } from '../../../common/i18n/message';

/** media-notice: what it says and how it is drawn. */
export async function mediaNoticeForm(context: FormContext): Promise<FormDescription> {
  const { dataSource, contract, project, organisation, baseUrl } = context;
  const notice = await dataSource.getRepository(Notice).findOne({
    where: { contractId: contract.id, kind: 'media' },
    order: { openedAt: 'DESC' },
  });
  const subsidy = contract.subsidyFen;
  if (!notice || subsidy === null) throw documentNotAvailable(msg('document.mediaNoticeNotYet'));
  const lines = contract.taskLines.map((line) => [
    line.taskName,
    `${line.auditedAreaMu ?? '0.00'} 亩`,
    `${line.unitPriceYuan} 元/亩`,
    yuan(line.amountFen ?? 0),
  ]);
  // As the village notice: once closed, its state and why instead of an invitation to object.
  const running = notice.state === 'running';
  const state = noticeStateView(notice.state, 'media');
  const content = {
    subject: organisation.name,
    noticeId: notice.id,
    state: notice.state,
    lines,
    subsidyFen: subsidy,
  };
  return {
    content,
    draw: (form) =>
      form
        .title('媒体公示', `${notice.mediaName ?? ''}　${notice.publishedOn ?? ''}`)
        .paragraph(
          `根据${project.name}实施方案，经村核实、镇验收、区农委会同区财政局审核，现将${organisation.name}（标段 ${contract.lotCode}）社会化服务补助情况公示如下：`,
        )
        .table(
          [
            { header: '作业环节', width: 150 },
            { header: '审核面积', width: 120, align: 'right' },
            { header: '补助标准', width: 110, align: 'right' },
            { header: '补助金额', width: 119, align: 'right' },
          ],
          [...lines, ['合计', '', '', yuan(subsidy)]],
        )
        .paragraph(
          `补助金额合计：${money(subsidy)}。公示期 ${shanghaiDate(notice.openedAt)} 至 ${shanghaiDate(notice.endsAt)}（7 天）。` +
            (running
              ? `如有异议，请于公示期内向区农委书面反映，或在网上公示栏 ${baseUrl}/board/notices/${notice.id} 提出。`
              : `公示状态：${state.label}。${state.reason}网上公示栏：${baseUrl}/board/notices/${notice.id}`),
        ),
  };
}
