import { Tender } from '../../tenders/tender.entity';

import { type FormContext, type FormDescription } from './form-context';

/** award-notice: what it says and how it is drawn. */
export async function awardNoticeForm(context: FormContext): Promise<FormDescription> {
  const { dataSource, contract, project, organisation, villageName } = context;
  const tender = await dataSource.getRepository(Tender).findOneByOrFail({ id: contract.tenderId });
  const lines = contract.taskLines.map((line) => [
    line.taskName,
    `${line.unitPriceYuan} 元/亩`,
    `${line.assignedAreaMu} 亩`,
  ]);
  const content = {
    subject: organisation.name,
    project: project.code,
    lines,
    deadline: contract.workDeadline,
    awardedOn: contract.awardedOn,
  };
  return {
    content,
    draw: (form) =>
      form
        .title('中标通知书', project.name)
        .paragraph(
          `${organisation.name}：\n　　你单位在${tender.publishedIn}（${tender.publishedOn}）发布、${tender.openingOn}公开开标的${project.name}招标中，经专家评审，被确定为标段 ${contract.lotCode}（${contract.villageCodes.map(villageName).join('、')}）的中标服务组织。请按下列作业环节、单价和面积，于 ${contract.workDeadline} 前完成作业服务，并及时签订服务合同。`,
        )
        .table(
          [
            { header: '作业环节', width: 200 },
            { header: '中标单价', width: 150, align: 'right' },
            { header: '作业面积', width: 149, align: 'right' },
          ],
          lines,
        )
        .fields([
          ['统一社会信用代码', organisation.creditCode],
          ['作业完成期限', contract.workDeadline],
          ['中标日期', contract.awardedOn],
        ])
        .signatureBoxes(['招标人（区农委）', '区财政局']),
  };
}
