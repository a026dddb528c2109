import { msg, render } from '../../common/i18n/message';
import type { RegisterColumn } from './register-file';
import {
  checkRegisterRow,
  isSigned,
  parseWorkDate,
  registeredRejection,
  type RowCheckContext,
  type RowSource,
} from './register-row-check';
import { residentIdCheckCharacter } from '../../common/values/resident-id';

/** A resident ID number whose check character is right, so only its other parts can be wrong. */
const withCheck = (first17: string) => first17 + residentIdCheckCharacter(first17);

/**
 * The row checks of the household register, one rule at a time: each reject code, its
 * boundaries, and the message the cooperative reads in the import's answer (api.md returns it
 * per row, so its wording is part of what the office sees).
 */
const CONTEXT: RowCheckContext = {
  villages: new Map([
    ['341602001001', '大李村'],
    ['341602001002', '小王庄'],
  ]),
  tasks: new Map([
    ['wheat_harvest', { name: '小麦机收', open: true }],
    ['straw_crush', { name: '秸秆粉碎', open: false }],
  ]),
  serviceStart: '2015-06-01',
  serviceEnd: '2015-06-30',
  workDeadline: '2015-06-20',
  today: '2025-06-30',
};

const GOOD: Record<RegisterColumn, string> = {
  villageCode: '341602001001',
  householdName: '李大明',
  householdIdNo: '341602199001011234',
  plotCode: 'DL-01-007',
  taskCode: 'wheat_harvest',
  areaMu: '3.25',
  workDate: '2015-06-10',
  machineNo: '皖S-12345',
  operatorName: '王机手',
  townCadreSigned: '张镇',
  villageCadreSigned: '1',
  operatorSigned: '是',
  farmerSigned: 'Y',
};

function check(cells: Partial<Record<RegisterColumn, string>>) {
  return checkRegisterRow(7, { ...GOOD, ...cells }, CONTEXT);
}

/** The rejection as an English client reads it (the check keeps a catalogue message). */
function rejected(cells: Partial<Record<RegisterColumn, string>>, source?: RowSource) {
  const result = checkRegisterRow(7, { ...GOOD, ...cells }, CONTEXT, source);
  if (result.ok) throw new Error(`expected a rejection for ${JSON.stringify(cells)}`);
  return { ...result.rejection, message: render(result.rejection.message, 'en') };
}

function accepted(cells: Partial<Record<RegisterColumn, string>>) {
  const result = check(cells);
  if (!result.ok)
    throw new Error(`expected ${JSON.stringify(cells)} to pass: ${result.rejection.code}`);
  return result.value;
}

/** The row is refused with this code and exactly this message (row 7, as the answer lists it). */
function expectRejected(
  cells: Partial<Record<RegisterColumn, string>>,
  code: string,
  message: string,
) {
  expect(rejected(cells)).toEqual({ row: 7, code, message });
}

describe('checkRegisterRow', () => {
  it('accepts a good row and stores every cell trimmed, the area in hundredths and the date as ISO', () => {
    const padded = Object.fromEntries(
      Object.entries(GOOD).map(([column, cell]) => [column, `  ${cell}\t`]),
    ) as Record<RegisterColumn, string>;
    const result = checkRegisterRow(7, { ...padded, workDate: ' 2015/6/9 ' }, CONTEXT);
    expect(result).toEqual({
      ok: true,
      value: {
        rowNo: 7,
        villageCode: '341602001001',
        householdName: '李大明',
        householdIdNo: '341602199001011234',
        plotCode: 'DL-01-007',
        taskCode: 'wheat_harvest',
        area: 325,
        workDate: '2015-06-09',
        machineNo: '皖S-12345',
        operatorName: '王机手',
        townCadreSigned: '张镇',
        villageCadreSigned: '1',
        operatorSigned: '是',
        farmerSigned: 'Y',
      },
    });
  });

  describe('FIELD_INVALID: names, plot, machine and operator are required; every text cell has a length', () => {
    it.each(['householdName', 'plotCode', 'machineNo', 'operatorName'] as const)(
      'refuses an empty or blank %s',
      (column) => {
        for (const cell of ['', '   ']) {
          expectRejected({ [column]: cell }, 'FIELD_INVALID', `${column} is empty`);
        }
      },
    );

    it.each([
      ['householdName', 100],
      ['plotCode', 60],
      ['machineNo', 40],
      ['operatorName', 100],
      ['townCadreSigned', 100],
      ['villageCadreSigned', 100],
      ['operatorSigned', 100],
      ['farmerSigned', 100],
    ] as const)(
      'takes %s up to %i characters (after trimming) and refuses one more',
      (column, max) => {
        expect(accepted({ [column]: ` ${'张'.repeat(max)} ` })[column]).toBe('张'.repeat(max));
        expectRejected(
          { [column]: '张'.repeat(max + 1) },
          'FIELD_INVALID',
          `${column} is longer than ${max} characters`,
        );
      },
    );

    it.each(['plotCode', 'machineNo'] as const)(
      'refuses a %s holding a character nobody can see, naming it; a name may hold one',
      (column) => {
        expectRejected(
          { [column]: 'DL-01\u200b-007' },
          'FIELD_INVALID',
          `${column} contains an invisible or control character (U+200B); type the code again`,
        );
        expect(accepted({ householdName: '李\u200b大明' }).householdName).toBe('李\u200b大明');
      },
    );

    it('lets an empty signature cell through to the signature check', () => {
      expectRejected({ operatorSigned: '' }, 'MISSING_SIGNATURE', 'not signed: operatorSigned');
    });
  });

  describe('INVALID_ID_NUMBER', () => {
    it.each([
      ['34160219900101123', 'is not 18 characters (17 digits and a check digit or X)'],
      ['041602199001011234', 'is not 18 characters (17 digits and a check digit or X)'],
      ['341602199001011235', 'has a wrong check digit'],
      [withCheck('34160219900230123'), 'has no real birth date'],
    ])('refuses %s: householdIdNo %s', (idNo, why) => {
      expectRejected({ householdIdNo: idNo }, 'INVALID_ID_NUMBER', `householdIdNo ${why}`);
    });

    it('judges the birth date against the context’s today', () => {
      const id = withCheck('34160220250630000');
      expect(accepted({ householdIdNo: id }).householdIdNo).toBe(id);
      expect(
        checkRegisterRow(7, { ...GOOD, householdIdNo: id }, { ...CONTEXT, today: '2025-06-29' }),
      ).toEqual({
        ok: false,
        rejection: {
          row: 7,
          code: 'INVALID_ID_NUMBER',
          message: msg('row.idNumber', { column: 'householdIdNo', problem: 'birthDate' }),
        },
      });
    });

    it('stores a full-width or lower-case number as its ASCII form', () => {
      expect(
        accepted({ householdIdNo: '１１０１０５１９４９１２３１００２ｘ' }).householdIdNo,
      ).toBe('11010519491231002X');
    });
  });

  describe('UNKNOWN_VILLAGE and UNKNOWN_TASK: a code or its name, of this contract only', () => {
    it('finds a village by code or by name, trimmed', () => {
      expect(accepted({ villageCode: '341602001002' }).villageCode).toBe('341602001002');
      expect(accepted({ villageCode: ' 小王庄 ' }).villageCode).toBe('341602001002');
    });

    it('refuses a village outside the lot, naming the cell', () => {
      expectRejected(
        { villageCode: '张家湾' },
        'UNKNOWN_VILLAGE',
        "village 张家湾 is not in this contract's lot",
      );
    });

    it('finds a task by code or by name', () => {
      expect(accepted({ taskCode: '小麦机收' }).taskCode).toBe('wheat_harvest');
      expect(accepted({ taskCode: ' wheat_harvest ' }).taskCode).toBe('wheat_harvest');
    });

    it('refuses a task the contract does not have', () => {
      expectRejected(
        { taskCode: '玉米播种' },
        'UNKNOWN_TASK',
        'task 玉米播种 is not in this contract',
      );
    });

    it('TASK_LINE_CLOSED: refuses rows of a claimed task line, found by code or by name', () => {
      for (const taskCode of ['straw_crush', '秸秆粉碎']) {
        expectRejected(
          { taskCode },
          'TASK_LINE_CLOSED',
          'task line straw_crush has been claimed; its rows are frozen',
        );
      }
    });
  });

  describe('AREA_INVALID: positive, at most two decimals, at most 10,000,000.00 mu', () => {
    it.each([
      ['0.01', 1],
      ['10000000.00', 1_000_000_000],
      ['12', 1200],
      ['0.5', 50],
    ])('takes %s mu as %i hundredths', (areaMu, area) => {
      expect(accepted({ areaMu }).area).toBe(area);
    });

    it.each(['0', '0.00', '10000000.01', '-1', '1.234', 'abc', ''])('refuses %j', (areaMu) => {
      expectRejected(
        { areaMu },
        'AREA_INVALID',
        `areaMu ${JSON.stringify(areaMu)} must be a positive number with at most 2 decimals, at most 10000000.00`,
      );
    });
  });

  describe('AFTER_DEADLINE: a real date inside the service window and not after the work deadline', () => {
    it('refuses a cell that is not a date', () => {
      expectRejected(
        { workDate: '六月十日' },
        'AFTER_DEADLINE',
        'workDate "六月十日" is not a date',
      );
    });

    it('takes the first day of service and the deadline itself', () => {
      expect(accepted({ workDate: '2015-06-01' }).workDate).toBe('2015-06-01');
      expect(accepted({ workDate: '2015-06-20' }).workDate).toBe('2015-06-20');
    });

    it.each(['2015-05-31', '2015-07-01'])('refuses %s outside the service window', (workDate) => {
      expectRejected(
        { workDate },
        'AFTER_DEADLINE',
        `workDate ${workDate} is outside the service window 2015-06-01 to 2015-06-30`,
      );
    });

    it('the last day of service is in the window; with the deadline on it, it is taken', () => {
      expectRejected(
        { workDate: '2015-06-30' },
        'AFTER_DEADLINE',
        "workDate 2015-06-30 is after the contract's work deadline 2015-06-20",
      );
      const result = checkRegisterRow(
        7,
        { ...GOOD, workDate: '2015-06-30' },
        { ...CONTEXT, workDeadline: '2015-06-30' },
      );
      expect(result.ok && result.value.workDate).toBe('2015-06-30');
    });

    it('refuses a day after the work deadline though still in the window', () => {
      expectRejected(
        { workDate: '2015-06-21' },
        'AFTER_DEADLINE',
        "workDate 2015-06-21 is after the contract's work deadline 2015-06-20",
      );
    });
  });

  describe('MISSING_SIGNATURE', () => {
    it('names every unsigned column, in the register’s order', () => {
      expect(
        rejected({ townCadreSigned: '否', farmerSigned: '0', operatorSigned: '张三' }),
      ).toEqual({
        row: 7,
        code: 'MISSING_SIGNATURE',
        message: 'not signed: townCadreSigned, farmerSigned',
      });
      expectRejected(
        { villageCadreSigned: 'no' },
        'MISSING_SIGNATURE',
        'not signed: villageCadreSigned',
      );
    });
  });

  it('checks in order: lengths, ID number, village, task, area, date, signatures', () => {
    const everything = {
      householdIdNo: '1',
      villageCode: 'nowhere',
      taskCode: 'nothing',
      areaMu: '0',
      workDate: 'never',
      farmerSigned: '',
    };
    expect(rejected({ ...everything, plotCode: '' }).code).toBe('FIELD_INVALID');
    expect(rejected(everything).code).toBe('INVALID_ID_NUMBER');
    const { householdIdNo: _id, ...afterId } = everything;
    expect(rejected(afterId).code).toBe('UNKNOWN_VILLAGE');
    const { villageCode: _village, ...afterVillage } = afterId;
    expect(rejected(afterVillage).code).toBe('UNKNOWN_TASK');
    const { taskCode: _task, ...afterTask } = afterVillage;
    expect(rejected(afterTask).code).toBe('AREA_INVALID');
    const { areaMu: _area, ...afterArea } = afterTask;
    expect(rejected(afterArea).code).toBe('AFTER_DEADLINE');
    const { workDate: _date, ...afterDate } = afterArea;
    expect(rejected(afterDate).code).toBe('MISSING_SIGNATURE');
  });
});

describe('isSigned', () => {
  it.each([
    '',
    '  ',
    '0',
    'false',
    'FALSE',
    ' False ',
    '否',
    'n',
    'N',
    'no',
    'No',
    '无',
    '未签',
    '×',
  ])('%j is not a signature', (cell) => {
    expect(isSigned(cell)).toBe(false);
  });

  it.each(['1', 'true', '是', 'Y', 'y', 'yes', '√', '李大明', ' 张 '])(
    '%j is a signature',
    (cell) => {
      expect(isSigned(cell)).toBe(true);
    },
  );
});

describe('parseWorkDate', () => {
  it.each([
    ['2015-06-10', '2015-06-10'],
    ['2015/6/10', '2015-06-10'],
    ['2015.6.1', '2015-06-01'],
    ['2015年6月10日', '2015-06-10'],
    ['2015年6月10', '2015-06-10'],
    [' 2015 - 06 - 10 ', '2015-06-10'],
    ['2016-02-29', '2016-02-29'],
    ['2015-12-31', '2015-12-31'],
  ])('reads %j as %s', (cell, iso) => {
    expect(parseWorkDate(cell)).toBe(iso);
  });

  it.each([
    '2015-02-29',
    '2015-06-31',
    '2015-13-01',
    '2015-00-10',
    '2015-06-00',
    '15-06-10',
    'x2015-06-10',
    '2015-06-10x',
    '2015-06-10 日日',
    '2015-06-100',
    '20150610',
    '',
  ])('refuses %j', (cell) => {
    expect(parseWorkDate(cell)).toBeUndefined();
  });
});

describe('checkRegisterRow: the file’s own headers, and identifiers a spreadsheet kept as numbers', () => {
  const CHINESE: RowSource['labels'] = {
    villageCode: '村代码',
    householdName: '农户姓名',
    householdIdNo: '身份证号',
    plotCode: '地块编号',
    taskCode: '作业环节',
    areaMu: '面积（亩）',
    workDate: '作业日期',
    machineNo: '机械牌号',
    operatorName: '机手',
    townCadreSigned: '镇包村干部签字',
    villageCadreSigned: '村干部签字',
    operatorSigned: '机手签字',
    farmerSigned: '农户签字',
  };
  const inChinese = (cells: Partial<Record<RegisterColumn, string>>, source: RowSource) => {
    const result = checkRegisterRow(7, { ...GOOD, ...cells }, CONTEXT, source);
    if (result.ok) throw new Error('expected a rejection');
    return { ...result.rejection, message: render(result.rejection.message, 'zh') };
  };

  it('names the column as the file’s header does, in either language', () => {
    const bad = {
      householdIdNo: withCheck('34160219900101123').replace(/.$/, (c) => (c === '0' ? '1' : '0')),
    };
    expect(inChinese(bad, { labels: CHINESE })).toEqual({
      row: 7,
      code: 'INVALID_ID_NUMBER',
      message: '身份证号校验码不对',
    });
    expect(rejected(bad)).toEqual({
      row: 7,
      code: 'INVALID_ID_NUMBER',
      message: 'householdIdNo has a wrong check digit',
    });
    expect(inChinese({ farmerSigned: '' }, { labels: CHINESE }).message).toBe('未签字：农户签字');
  });

  it('refuses a resident ID that held a number, even one with a valid check digit, and says to store the column as text', () => {
    // 3.41602197104062E+17 as a spreadsheet shows it: the digits after the 15th are lost.
    const altered = { householdIdNo: '341602197104062000' };
    expect(inChinese(altered, { labels: CHINESE, numbers: ['householdIdNo'] })).toEqual({
      row: 7,
      code: 'INVALID_ID_NUMBER',
      message:
        '身份证号 是以数字保存的（341602197104062000），数字会丢失位数，无法得知原来的号码；请把 身份证号 列设置为文本格式后重新填写并上传',
    });
    const valid = { householdIdNo: withCheck('34160219900101123') };
    expect(accepted(valid).householdIdNo).toBe(valid.householdIdNo);
    expect(rejected(valid, { numbers: ['householdIdNo'] })).toMatchObject({
      code: 'INVALID_ID_NUMBER',
      message: expect.stringContaining('format the householdIdNo column as text') as string,
    });
  });

  it('refuses a plot code or machine number that held a number with FIELD_INVALID', () => {
    expect(rejected({ plotCode: '1.5' }, { numbers: ['plotCode'] }).code).toBe('FIELD_INVALID');
    expect(rejected({ machineNo: '1.2E+20' }, { numbers: ['machineNo'] }).code).toBe(
      'FIELD_INVALID',
    );
  });
});

describe('a row against the register (one rule for an import and a correction)', () => {
  const facts = { earlierPlotCode: undefined, usedArea: 40_000, assignedArea: 50_000 };
  const against = (area: number, earlierPlotCode?: string) => {
    const rejection = registeredRejection(7, 'wheat_harvest', area, { ...facts, earlierPlotCode });
    return rejection && { ...rejection, message: render(rejection.message, 'zh') };
  };

  it('keeps a row up to the assigned area exactly', () => {
    expect(against(10_000)).toBeUndefined();
    expect(against(0)).toBeUndefined();
  });

  it('refuses one hundredth of a mu over it, naming the total and the limit', () => {
    expect(against(10_001)).toEqual({
      row: 7,
      code: 'OVER_ASSIGNED_AREA',
      message: 'wheat_harvest 的登记面积将达到 500.01 亩；合同分配 500.00 亩',
    });
  });

  it('refuses a plot registered already for the task, as the earlier row typed it, first', () => {
    expect(against(10_001, 'DK-01')).toEqual({
      row: 7,
      code: 'DUPLICATE_PLOT_TASK',
      message: '地块 DK-01（或看起来相同的编号）的 wheat_harvest 已在本项目登记过',
    });
    expect(against(1, '')?.code).toBe('DUPLICATE_PLOT_TASK');
  });
});
