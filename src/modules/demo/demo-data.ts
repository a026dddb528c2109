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
