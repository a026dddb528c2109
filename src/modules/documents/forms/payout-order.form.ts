import { In } from 'typeorm';

import { disclose } from '../../auth/disclosure-policy';

import { Payout } from '../../payouts/payout.entity';

import { toChineseCapital } from '../chinese-amount';
import { documentNotAvailable } from '../documents.errors';

import { approverTitle, yuan, type FormContext, type FormDescription } from './form-context';
import { msg } from '../../../common/i18n/message';

/** payout-order: what it says and how it is drawn. */
export async function payoutOrderForm(context: FormContext): Promise<FormDescription> {
  const { dataSource, calculation, actor, contract, head, districtName } = context;
  const payout = await dataSource
    .getRepository(Payout)
    .findOne({ where: { contractId: contract.id, state: In(['issued', 'confirmed']) } });
  if (!payout)
    throw documentNotAvailable(msg('document.payoutOrderNotYet', { state: contract.state }));
  const [batch] = await dataSource.query<{ batch_no: string }[]>(
    `SELECT b.batch_no FROM payment_batch_payout i JOIN payment_batch b ON b.id = i.batch_id
        WHERE i.payout_id = $1`,
    [payout.id],
  );
  const sheet = await calculation.sheet(actor, contract.id);
  const approvals = sheet.signers
    .filter((signer) => signer.stage === 'district audit')
    .map((signer) => `${approverTitle(signer.role, districtName).join(' ')} ${signer.name}`);
  const accountNo = disclose(actor, 'bankAccount', payout.bankAccountNo, {
    organisationId: contract.organisationId,
    districtCodes: [payout.districtCode],
  });
  const content = {
    subject: payout.payeeName,
    payoutId: payout.id,
    payoutNo: payout.payoutNo,
    batchNo: batch?.batch_no ?? null,
    amountFen: payout.amountFen,
    state: payout.state,
    bankReference: payout.bankReference,
  };
  return {
    content,
    draw: (form) =>
      form
        .title('拨付单', `拨付单号 ${payout.payoutNo}`)
        .fields([
          ...head,
          ['收款单位', payout.payeeName],
          ['开户银行', payout.bankName],
          ['户名', payout.bankAccountName],
          ['账号', accountNo],
          ['金额（小写）', yuan(payout.amountFen)],
          ['金额（大写）', toChineseCapital(payout.amountFen)],
          ['审核', approvals.join('；')],
          ['拨付批次', batch?.batch_no ?? '未编入批次'],
          [
            '状态',
            payout.state === 'confirmed'
              ? `已到账（银行流水号 ${payout.bankReference ?? ''}）`
              : '已开具，待银行确认',
          ],
        ])
        .signatureBoxes(['经办人', '审核人', '区财政局（盖章）']),
  };
}
