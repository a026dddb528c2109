import type { Role } from '../../src/modules/auth/roles';
import type { AcceptanceRole } from '../../src/modules/auth/roles';
import { nextSeq, validCreditCode } from '../factories/codes';
import { TEST_ADMIN, type TestApp } from './test-app';

export interface Session {
  token: string;
  userId: string;
  username: string;
  role: Role;
  auth: { Authorization: string };
}

export interface RegionTree {
  district: string;
  town: string;
  villages: string[];
}

/**
 * Builders that go through HTTP like a real client: each test creates its own regions,
 * organisations and users with complete defaults, so tests never share rows.
 */
export class Api {
  private adminSession?: Session;

  constructor(readonly test: TestApp) {}

  async login(username: string, password: string): Promise<Session> {
    const response = await this.test
      .http()
      .post('/auth/login')
      .send({ username, password })
      .expect(200);
    const body = response.body as { accessToken: string; user: { id: string; role: Role } };
    return {
      token: body.accessToken,
      userId: body.user.id,
      username,
      role: body.user.role,
      auth: { Authorization: `Bearer ${body.accessToken}` },
    };
  }

  async admin(): Promise<Session> {
    this.adminSession ??= await this.login(TEST_ADMIN.username, TEST_ADMIN.password);
    return this.adminSession;
  }

  async region(body: {
    code: string;
    name: string;
    level: string;
    parentCode?: string;
  }): Promise<void> {
    await this.test
      .http()
      .post('/regions')
      .set((await this.admin()).auth)
      .send(body)
      .expect(201);
  }

  /** A district with one town and `villages` villages; codes unique in the process. */
  async regionTree(villages = 2): Promise<RegionTree> {
    const district = String(400000 + nextSeq());
    const town = `${district}101`;
    await this.region({ code: district, name: `测试区${district}`, level: 'district' });
    await this.region({ code: town, name: `测试镇${town}`, level: 'town', parentCode: district });
    const villageCodes: string[] = [];
    for (let i = 1; i <= villages; i++) {
      const code = `${town}${200 + i}`;
      await this.region({ code, name: `测试村${i}`, level: 'village', parentCode: town });
      villageCodes.push(code);
    }
    return { district, town, villages: villageCodes };
  }

  async organisation(
    overrides: Record<string, unknown> = {},
  ): Promise<{ id: string; creditCode: string }> {
    const seq = nextSeq();
    const response = await this.test
      .http()
      .post('/organisations')
      .set((await this.admin()).auth)
      .send({
        name: `测试农机专业合作社${seq}`,
        creditCode: validCreditCode(),
        legalRepresentative: '张三',
        grade: 'none',
        bankName: '测试银行',
        bankAccountName: `测试农机专业合作社${seq}`,
        bankAccountNo: `6222${String(seq).padStart(12, '0')}`,
        ...overrides,
      })
      .expect(201);
    return response.body as { id: string; creditCode: string };
  }

  /** Creates a user through the API and logs in as them. */
  async user(
    role: Role,
    binding: { organisationId?: string; regionCode?: string; acceptanceRole?: AcceptanceRole } = {},
  ): Promise<Session> {
    const username = `${role}_${nextSeq()}`;
    const password = `pw-${username}-secret`;
    await this.test
      .http()
      .post('/users')
      .set((await this.admin()).auth)
      .send({ username, password, displayName: username, role, ...binding })
      .expect(201);
    return this.login(username, password);
  }
}
