import { formatMu } from '../../common/values/decimal-units';
import { residentIdCheckCharacter } from '../../common/values/resident-id';
import { creditCodeCheckCharacter } from '../organisations/credit-code';
import type { CreateOrganisationDto } from '../organisations/dto/organisation.dto';
import type { CreateRegionDto } from '../regions/dto/create-region.dto';
import type { CreateUserDto } from '../users/dto/user.dto';

/**
 * The Qiaocheng District 2014 project of the source report (谯城区, 双沟镇 王各村 邹李村 闫庄村).
 * Region codes, credit codes, bank accounts and the third cooperative are made up for the demo.
 */
export const DEMO_PASSWORD = 'Demo-2014';

const creditCode = (first17: string): string => first17 + creditCodeCheckCharacter(first17);

export const DEMO_REGIONS: CreateRegionDto[] = [
  { code: '341602', name: '谯城区', level: 'district' },
  { code: '341602104', name: '双沟镇', level: 'town', parentCode: '341602' },
  { code: '341602104201', name: '王各村', level: 'village', parentCode: '341602104' },
  { code: '341602104202', name: '邹李村', level: 'village', parentCode: '341602104' },
  { code: '341602104203', name: '闫庄村', level: 'village', parentCode: '341602104' },
];

export const DEMO_ORGANISATIONS: (CreateOrganisationDto & { key: string })[] = [
  {
    key: 'jiaokui',
    name: '亳州市焦魁农机专业合作社',
    creditCode: creditCode('93341602MA2N0JK01'),
    legalRepresentative: '焦魁',
    grade: 'national',
    bankName: '安徽亳州农村商业银行谯城支行',
    bankAccountName: '亳州市焦魁农机专业合作社',
    bankAccountNo: '20000356781200011234',
  },
  {
    key: 'guiqin',
    name: '亳州市贵勤农机专业合作社',
    creditCode: creditCode('93341602MA2N0GQ02'),
    legalRepresentative: '李贵勤',
    grade: 'provincial',
    bankName: '中国农业银行亳州谯城支行',
    bankAccountName: '亳州市贵勤农机专业合作社',
    bankAccountNo: '12345601040012345',
  },
  {
    key: 'fengshou',
    name: '亳州市谯城区丰收农机专业合作社',
    creditCode: creditCode('93341602MA2N0FH03'),
    legalRepresentative: '王丰收',
    grade: 'municipal',
    bankName: '中国邮政储蓄银行亳州市分行',
    bankAccountName: '亳州市谯城区丰收农机专业合作社',
    bankAccountNo: '934001010012345678',
  },
];

type DemoUser = Omit<CreateUserDto, 'password' | 'organisationId'> & { organisationKey?: string };

export const DEMO_USERS: DemoUser[] = [
  { username: 'agri', displayName: '区农委 张主任', role: 'district_agri', regionCode: '341602' },
  {
    username: 'finance',
    displayName: '区财政局 刘科长',
    role: 'district_finance',
    regionCode: '341602',
  },
  {
    username: 'finance2',
    displayName: '区财政局 陈会计',
    role: 'district_finance',
    regionCode: '341602',
  },
  { username: 'auditor', displayName: '区审计局 周审计', role: 'observer', regionCode: '341602' },
  {
    username: 'jiaokui',
    displayName: '焦魁合作社 出纳',
    role: 'cooperative',
    organisationKey: 'jiaokui',
  },
  {
    username: 'guiqin',
    displayName: '贵勤合作社 出纳',
    role: 'cooperative',
    organisationKey: 'guiqin',
  },
  {
    username: 'fengshou',
    displayName: '丰收合作社 出纳',
    role: 'cooperative',
    organisationKey: 'fengshou',
  },
  {
    username: 'wangge',
    displayName: '王各村 核实员',
    role: 'village_verifier',
    regionCode: '341602104201',
  },
  {
    username: 'zouli',
    displayName: '邹李村 核实员',
    role: 'village_verifier',
    regionCode: '341602104202',
  },
  {
    username: 'yanzhuang',
    displayName: '闫庄村 核实员',
    role: 'village_verifier',
    regionCode: '341602104203',
  },
  {
    username: 'tech1',
    displayName: '包镇技术指导组 赵技术员',
    role: 'town_acceptor',
    regionCode: '341602104',
    acceptanceRole: 'technical_guidance',
  },
  {
    username: 'tech2',
    displayName: '包镇技术指导组 钱技术员',
    role: 'town_acceptor',
    regionCode: '341602104',
    acceptanceRole: 'technical_guidance',
  },
  {
    username: 'leader',
    displayName: '双沟镇 分管副镇长',
    role: 'town_acceptor',
    regionCode: '341602104',
    acceptanceRole: 'township_leader',
  },
  {
    username: 'station',
    displayName: '农业综合服务站 站长',
    role: 'town_acceptor',
    regionCode: '341602104',
    acceptanceRole: 'station_head',
  },
  {
    username: 'farmer1',
    displayName: '农民监督员 孙大爷',
    role: 'town_acceptor',
    regionCode: '341602104',
    acceptanceRole: 'farmer_supervisor',
  },
  {
    username: 'farmer2',
    displayName: '农民监督员 李大姐',
    role: 'town_acceptor',
    regionCode: '341602104',
    acceptanceRole: 'farmer_supervisor',
  },
];

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '朱',
  '马',
  '胡',
  '郭',
];
const GIVEN = [
  '秀英',
  '桂英',
  '建国',
  '志强',
  '秀兰',
  '玉兰',
  '德华',
  '国庆',
  '春梅',
  '建华',
  '海燕',
  '明',
  '军',
  '敏',
  '伟',
  '芳',
];

/** A valid resident ID number (GB 11643) of someone born 1950-1989 in 谯城区, from a serial. */
export function demoResidentId(serial: number): string {
  const birth = `${1950 + (serial % 40)}${String(1 + (serial % 12)).padStart(2, '0')}${String(1 + (serial % 28)).padStart(2, '0')}`;
  const first17 = `341602${birth}${String(serial % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckCharacter(first17);
}

/** A household register (落实到户清册) as the cooperative's office writes it: Chinese headers and names. */
export function demoRegisterCsv(
  villageName: string,
  villageIndex: number,
  tasks: { name: string }[],
  rowsPerTask: number,
): string {
  const header =
    '村,农户姓名,身份证号,地块编号,作业环节,面积(亩),作业日期,机械牌号,机手,镇包村干部签字,村干部签字,机手签字,农户签字';
  const lines = [header];
  for (let household = 0; household < rowsPerTask; household++) {
    const serial = villageIndex * 1000 + household;
    const name = `${SURNAMES[serial % SURNAMES.length]}${GIVEN[(serial * 7) % GIVEN.length]}`;
    const area = formatMu(200 + ((serial * 37) % 600)); // 2.00 to 7.99 mu, from hundredths
    for (const [taskIndex, task] of tasks.entries()) {
      lines.push(
        [
          villageName,
          name,
          demoResidentId(serial),
          `${villageIndex + 1}-${String(household + 1).padStart(3, '0')}`,
          task.name,
          area,
          `2015-06-${String(5 + ((household + taskIndex * 3) % 10)).padStart(2, '0')}`,
          `皖S${String(10000 + ((serial * 13) % 90000))}`,
          ['刘德胜', '陈国强', '黄建军'][taskIndex % 3],
          '周振华',
          '吴立新',
          ['刘德胜', '陈国强', '黄建军'][taskIndex % 3],
          name,
        ].join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
