import { shanghaiDate } from '../../../common/clock/shanghai-date';

import { formatYuan } from '../../../common/values/decimal-units';

import { perMuBasis } from '../../contracts/calculation.service';
import { readAuditSample, sampleTaskLines } from '../../audits/audit-sample.service';
import { formatHundredths, formatMu } from '../../../common/values/decimal-units';
import { documentNotAvailable } from '../documents.errors';

import { approverTitle, money, type FormContext, type FormDescription } from './form-context';
import { msg } from '../../../common/i18n/message';

/** audit: what it says and how it is drawn. */
export async function auditSheetForm(context: FormContext): Promise<FormDescription> {
  const {
    dataSource,
    calculation,
    actor,
    contract,
    project,
    organisation,
    villageName,
    head,
    districtName,
  } = context;
  const subsidy = contract.subsidyFen;
  if (subsidy === null)
    throw documentNotAvailable(msg('document.auditSheetNotYet', { state: contract.state }));
  const sheet = await calculation.sheet(actor, contract.id);
  const table = sheet.taskLines.flatMap((line) => [
    [
      line.taskName,
      '',
      line.claimedAreaMu ?? '',
      line.verifiedAreaMu ?? '',
      line.acceptedAreaMu ?? '',
      line.auditedAreaMu ?? '',
      sheet.policy ? line.subsidyPerMuYuan : line.unitPriceYuan,
      line.amountYuan ?? '',
    ],
    ...line.villages.map((village) => [
      '',
      villageName(village.villageCode),
      village.claimedAreaMu,
      village.verifiedAreaMu ?? '',
      village.acceptedAreaMu ?? '',
      '',
      '',
      '',
    ]),
  ]);
  // Each opinion in full, wrapped: an approver's bureau and part, name, date and note.
  const approvers: [string, string][] = sheet.signers
    .filter((signer) => signer.stage === 'district audit')
    .map((signer) => {
      const [unit, part] = approverTitle(signer.role, districtName);
      const note = signer.note ? `　意见：${signer.note}` : '　意见：同意';
      return [part, `${unit}　审核人 ${signer.name}　${shanghaiDate(new Date(signer.at))}${note}`];
    });
  const rejections = await dataSource.query<
    { actor_username: string; display_name: string | null; at: Date; note: string | null }[]
  >(
    `SELECT h.actor_username, u.display_name, h.at, h.payload->>'note' AS note
         FROM contract_history h LEFT JOIN app_user u ON u.id = h.actor_id
        WHERE h.contract_id = $1 AND h.event = 'audit.rejected' ORDER BY h.seq`,
    [contract.id],
  );
  const rejected: [string, string][] = rejections.map((rejection) => [
    '退回',
    `审核人 ${rejection.display_name ?? rejection.actor_username}　${shanghaiDate(rejection.at)}　意见：${rejection.note ?? ''}`,
  ]);
  // Under a policy: the subsidy per mu replaces the unit price, and the cap's cut has its row.
  const { policy, capCutFen } = sheet;
  const cut = capCutFen !== null && capCutFen > 0 ? capCutFen : 0;
  const cutRows = cut > 0 ? [['封顶扣减', '', '', '', '', '', '', `-${formatYuan(cut)}`]] : [];
  const rule = policy
    ? `补助金额 = 审核面积 × 每亩补助（${perMuBasis(policy)}；政策 ${policy.code}），按环节合计四舍五入到分。` +
      (policy.capPerOrganisationYuan
        ? `单个服务组织在本政策下的补助合计不超过 ${policy.capPerOrganisationYuan} 元${cut > 0 ? `，本合同扣减 ${formatYuan(cut)} 元` : ''}。`
        : '')
    : '补助金额 = 审核面积 × 中标单价，按环节合计四舍五入到分。';
  // The audit sample (入户了解、实地查看): its seed, every sampled row with its visit, and per task
  // line S, O, the shortfall and the most the visits support.
  const found = await readAuditSample(dataSource.manager, contract.id);
  const METHODS: Record<string, string> = { household: '入户', field: '实地', phone: '电话' };
  const SATISFACTION: Record<string, string> = {
    satisfied: '满意',
    neutral: '一般',
    dissatisfied: '不满意',
  };
  const sampleRows = (found?.rows ?? []).map((row) => [
    String(row.row_no),
    villageName(row.village_code),
    row.household_name,
    row.plot_code,
    formatMu(row.verified_area),
    row.method ? METHODS[row.method] : '未核查',
    row.visited_on ?? '',
    row.observed_area === null ? '' : formatMu(row.observed_area),
    row.household_confirms === null ? '' : row.household_confirms ? '是' : '否',
    row.satisfaction ? SATISFACTION[row.satisfaction] : '',
  ]);
  const sampleLines = found
    ? sampleTaskLines(found.rows, found.acceptedAreas, found.sample.tolerance_basis_points)
    : [];
  const taskName = (taskCode: string) =>
    sheet.taskLines.find((line) => line.taskCode === taskCode)?.taskName ?? taskCode;
  const sampleOutcome = sampleLines.map((line) => [
    taskName(line.taskCode),
    line.sampledAreaMu,
    line.observedAreaMu,
    `${line.shortfallPct}%`,
    line.maxAuditedAreaMu ?? '未完成',
  ]);
  const content = {
    subject: organisation.name,
    ...(found
      ? {
          sample: {
            seed: found.sample.seed,
            chainHash: found.sample.chain_hash,
            rows: sampleRows,
            taskLines: sampleOutcome,
          },
        }
      : {}),
    table: [...table, ...cutRows],
    subsidyFen: subsidy,
    ...(policy ? { policyCode: policy.code, capCutFen } : {}),
    approvers,
    rejected,
  };
  return {
    content,
    draw: (form) => {
      form
        .title('审核验收表', project.name)
        .fields(head)
        .table(
          [
            { header: '环节', width: 70 },
            { header: '村', width: 55 },
            { header: '申报(亩)', width: 60, align: 'right' },
            { header: '核实(亩)', width: 60, align: 'right' },
            { header: '验收(亩)', width: 60, align: 'right' },
            { header: '审核(亩)', width: 60, align: 'right' },
            { header: policy ? '每亩补助' : '单价(元)', width: 50, align: 'right' },
            { header: '金额(元)', width: 84, align: 'right' },
          ],
          [...table, ...cutRows, ['合计', '', '', '', '', '', '', formatYuan(subsidy)]],
        )
        .paragraph(`补助金额：${money(subsidy)}。${rule}`);
      if (found) {
        const { sample } = found;
        form
          .heading('抽查核验（入户了解、实地查看）')
          .paragraph(
            `抽查比例 ${formatHundredths(sample.rate_basis_points)}%，每村至少 ${sample.min_per_village} 户，允许差额 ${formatHundredths(sample.tolerance_basis_points)}%。抽样种子（任何人可复核）：`,
          )
          .paragraph(sample.seed)
          .paragraph(
            `种子 = SHA-256（合同编号:审计链 ${sample.chain} 第 ${sample.chain_seq ?? 0} 条的哈希 ${sample.chain_hash}）`,
          )
          .table(
            [
              { header: '行号', width: 30, align: 'right' },
              { header: '村', width: 50 },
              { header: '农户', width: 50 },
              { header: '地块', width: 60 },
              { header: '核实(亩)', width: 50, align: 'right' },
              { header: '方式', width: 34 },
              { header: '日期', width: 62 },
              { header: '实测(亩)', width: 50, align: 'right' },
              { header: '确认', width: 30 },
              { header: '满意度', width: 40 },
            ],
            sampleRows,
          )
          .table(
            [
              { header: '环节', width: 110 },
              { header: '抽查面积 S(亩)', width: 100, align: 'right' },
              { header: '实测面积 O(亩)', width: 100, align: 'right' },
              { header: '差额', width: 69, align: 'right' },
              { header: '最高审核(亩)', width: 100, align: 'right' },
            ],
            sampleOutcome,
          );
      }
      form
        .heading('审核意见')
        .fields([...rejected, ...approvers])
        .signatureBoxes(['区农委（盖章）', '区财政局（盖章）']);
    },
  };
}
