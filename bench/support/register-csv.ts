/**
 * Household registers (落实到户清册) for the benchmarks: the Qiaocheng villages with their cadres,
 * seeded names, valid resident ID numbers distinct for millions of households (the app's own
 * check character), CSV cells, and a whole valid register of one task line (`validRegister`).
 * The header and the check character come from the app (register-file.ts, resident-id.ts).
 */
import { REGISTER_COLUMNS, REGISTER_HEADERS } from '../../src/modules/field-work/register-file';
import { residentIdCheckCharacter } from '../../src/common/values/resident-id';

/** The register's Chinese header, in the app's column order: the last text each column accepts. */
export const REGISTER_HEADER: string[] = REGISTER_COLUMNS.map(
  (column) => REGISTER_HEADERS[column][REGISTER_HEADERS[column].length - 1],
);

/** The three villages of 双沟镇 (codes: town code + suffix) and their cadres. */
export const VILLAGES = [
  { suffix: '201', name: '王各村', townCadre: '周建华', villageCadre: '王守业' },
  { suffix: '202', name: '邹李村', townCadre: '孙立新', villageCadre: '邹长河' },
  { suffix: '203', name: '闫庄村', townCadre: '郭志远', villageCadre: '闫士英' },
] as const;

export const SURNAMES = [
  ...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎',
];
export const GIVEN_NAMES = [
  ...['秀英', '桂英', '秀兰', '玉兰', '桂兰', '秀珍', '凤英', '玉珍', '玉英', '兰英', '建国'],
  ...['建华', '建军', '国强', '志强', '志刚', '永刚', '德明', '文华', '红军', '海军', '卫东'],
  ...['春生', '长林', '金山', '明亮', '保国', '立新', '庆华', '振华', '伟', '芳', '敏', '静'],
  ...['丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '俊杰', '子涵', '浩然'],
  ...['雨泽', '思远', '佳怡', '欣怡', '晓东', '晓燕', '小红'],
];
export const OPERATORS = [
  '刘德胜',
  '张广田',
  '李振江',
  '王宝山',
  '赵铁柱',
  '陈满仓',
  '孙大勇',
  '马金龙',
];

/** Small, fast, seeded (mulberry32). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BIRTH_EPOCH = Date.UTC(1950, 0, 1);
const BIRTH_DAYS = 16_000; // 1950-01-01 .. 1993-10

/**
 * A valid resident ID number (谯城区 341602), distinct for every n < 16,000,000: the birth date
 * and the 3-digit sequence are taken from n. (`residentId(seq)` of test/factories repeats after
 * 21,000 numbers, too few for 100,000 distinct households.)
 */
export function distinctResidentId(n: number): string {
  const birth = new Date(BIRTH_EPOCH + (n % BIRTH_DAYS) * 86_400_000)
    .toISOString()
    .slice(0, 10)
    .replace(/-/g, '');
  const first17 = `341602${birth}${String(Math.floor(n / BIRTH_DAYS) % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckCharacter(first17);
}

export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * UTF-8 CSV with BOM of `rows` valid rows of one task line: households of the three villages,
 * one plot each, 0.50–8.00 mu, worked 2–15 June 2015, the four signatures; its total area.
 */
export function validRegister(
  rows: number,
  seed: number,
  task: { name: string },
): { csv: Buffer; areaHundredths: number } {
  const rand = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const lines = ['\uFEFF' + REGISTER_HEADER.join(',')];
  let areaHundredths = 0;
  for (let number = 1; number <= rows; number++) {
    const villageIndex = number % 3;
    const village = VILLAGES[villageIndex];
    const name = pick(SURNAMES) + pick(GIVEN_NAMES);
    const operator = pick(OPERATORS);
    const area = 50 + Math.floor(rand() * 751); // 0.50 .. 8.00 mu
    areaHundredths += area;
    const day = 2 + Math.floor(rand() * 14);
    lines.push(
      [
        village.name,
        name,
        distinctResidentId(number),
        `${village.name.slice(0, 1)}${villageIndex + 1}-${String(number).padStart(7, '0')}`,
        task.name,
        (area / 100).toFixed(2),
        `2015-06-${String(day).padStart(2, '0')}`,
        `皖S${String(10000 + Math.floor(rand() * 90000))}`,
        operator,
        village.townCadre,
        village.villageCadre,
        operator,
        rand() < 0.5 ? '1' : name,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return { csv: Buffer.from(lines.join('\r\n') + '\r\n', 'utf8'), areaHundredths };
}
