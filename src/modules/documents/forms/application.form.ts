import { toHundredths } from '../../../common/values/decimal-units';
import { amountFen } from '../../../common/values/money';

import { Attachment } from '../../field-work/attachment.entity';

import { disclose } from '../../auth/disclosure-policy';

import { documentNotAvailable } from '../documents.errors';

import {
  ATTACHMENT_NAMES,
  money,
  yuan,
  type FormContext,
  type FormDescription,
} from './form-context';
import { msg } from '../../../common/i18n/message';

/** application: what it says and how it is drawn. */
export async function applicationForm(context: FormContext): Promise<FormDescription> {
  const { dataSource, actor, contract, organisation, head } = context;
  const claimed = contract.taskLines.filter((line) => line.claimedAreaMu !== null);
  if (claimed.length === 0) throw documentNotAvailable(msg('document.applicationNoClaim'));
  const attachments = await dataSource
    .getRepository(Attachment)
    .find({ where: { contractId: contract.id }, order: { createdAt: 'ASC' } });
  const claimedFen = (line: (typeof claimed)[number]): number =>
    amountFen(toHundredths(line.claimedAreaMu) as number, line.unitPriceFen);
  const lines = claimed.map((line) => [
    line.taskName,
    `${line.claimedAreaMu} 亩`,
    `${line.unitPriceYuan} 元/亩`,
    yuan(claimedFen(line)),
  ]);
  const total = claimed.reduce((sum, line) => sum + claimedFen(line), 0);
  // A PDF is a disclosure like any response: the reader's role decides, not the form.
  const accountNo = disclose(actor, 'bankAccount', organisation.bankAccountNo, {
    organisationId: organisation.id,
    districtCodes: [context.project.districtCode],
  });
  const content = {
    subject: organisation.name,
    lines,
    total,
    attachments: attachments.map((a) => [a.kind, a.sha256]),
  };
  return {
    content,
    draw: (form) => {
      for (const [index, copy] of ['第一联', '第二联', '第三联'].entries()) {
        if (index > 0) form.newPage();
        form
          .title(
            '奖补资金申请表',
            `${copy}（${['区农委留存', '区财政局留存', '服务组织留存'][index]}）`,
          )
          .fields([
            ...head,
            ['统一社会信用代码', organisation.creditCode],
            ['法定代表人', organisation.legalRepresentative],
            ['开户银行', organisation.bankName],
            ['户名 / 账号', `${organisation.bankAccountName}　${accountNo}`],
          ])
          .table(
            [
              { header: '作业环节', width: 150 },
              { header: '申报面积', width: 110, align: 'right' },
              { header: '单价', width: 110, align: 'right' },
              { header: '申请金额', width: 129, align: 'right' },
            ],
            [...lines, ['合计', '', '', yuan(total)]],
          )
          .paragraph(`申请金额合计：${money(total)}`)
          .heading('附件')
          .table(
            [
              { header: '材料', width: 140 },
              { header: 'SHA-256', width: 359 },
            ],
            attachments.map((attachment) => [
              ATTACHMENT_NAMES[attachment.kind] ?? attachment.kind,
              attachment.sha256,
            ]),
          )
          .signatureBoxes(['服务组织（盖章）', '村核实', '镇验收', '区审核']);
      }
    },
  };
}
