import { In } from 'typeorm';

import { formatMu } from '../../../common/values/decimal-units';

import { RegisterRow } from '../../field-work/register-row.entity';
import { disclose } from '../../auth/disclosure-policy';

import { type FormContext, type FormDescription } from './form-context';

/** register: what it says and how it is drawn. */
export async function registerForm(context: FormContext): Promise<FormDescription> {
  const { dataSource, contract, query, project, organisation, villageName } = context;
  const where = {
    contractId: contract.id,
    state: In(['working', 'claimed']),
    ...(query.taskCode ? { taskCode: query.taskCode } : {}),
  };
  const rows = await dataSource
    .getRepository(RegisterRow)
    .find({ where, order: { taskCode: 'ASC', villageCode: 'ASC', rowNo: 'ASC' } });
  const taskNames = new Map(contract.taskLines.map((line) => [line.taskCode, line.taskName]));
  // A past season is typed in years later: the year of the work is always printed.
  const years = [...new Set(rows.map((row) => row.workDate.slice(0, 4)))];
  const oneYear = years.length === 1;
  const table: string[][] = [];
  let group = '';
  let subtotal = 0;
  let count = 0;
  const closeGroup = (): void => {
    if (group)
      table.push(['', `小计（${count} 户）`, '', '', formatMu(subtotal), '', '', '', '', '']);
  };
  for (const row of rows) {
    const key = `${row.taskCode}/${row.villageCode}`;
    if (key !== group) {
      closeGroup();
      group = key;
      subtotal = 0;
      count = 0;
      table.push([
        `${villageName(row.villageCode)} · ${taskNames.get(row.taskCode) ?? row.taskCode}`,
      ]);
    }
    subtotal += row.area;
    count += 1;
    table.push([
      String(row.rowNo),
      row.householdName,
      // A register is posted and handed around: as public as a notice.
      disclose(null, 'residentId', row.householdIdNo),
      row.plotCode,
      formatMu(row.area),
      oneYear ? row.workDate.slice(5) : row.workDate,
      row.townCadreSigned ? '✓' : '',
      row.villageCadreSigned ? '✓' : '',
      row.operatorSigned ? '✓' : '',
      row.farmerSigned ? '✓' : '',
    ]);
  }
  closeGroup();
  const content = {
    subject: query.taskCode ? taskNames.get(query.taskCode) : '全部环节',
    rows: rows.map((row) => [row.id, row.area, row.state]),
  };
  return {
    content,
    draw: async (form) => {
      form.title(
        '落实到户清册',
        `${project.name}　${organisation.name}　${years.join('、')}年作业`,
      );
      await form.longTable(
        [
          { header: '行', width: 34, align: 'right' },
          { header: '农户姓名', width: 64 },
          { header: '身份证号', width: oneYear ? 104 : 88 },
          { header: '地块编号', width: 70 },
          { header: '面积(亩)', width: 55, align: 'right' },
          { header: '日期', width: oneYear ? 40 : 56 },
          { header: '镇干部', width: 33, align: 'center' },
          { header: '村干部', width: 33, align: 'center' },
          { header: '机手', width: 33, align: 'center' },
          { header: '农户', width: 33, align: 'center' },
        ],
        table,
        {
          emphasise: (row) => row.length > 1 && row[1].startsWith('小计'),
        },
      );
      form.signatureBoxes(['服务组织', '镇包村干部', '村干部']);
    },
  };
}
