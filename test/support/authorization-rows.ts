import { ROLES, type Role } from '../../src/modules/auth/roles';
import { validCreditCode } from '../factories/codes';
import { registerRows } from '../factories/register-rows';
import { registerCsv } from './season';
import type { Scope } from './two-scopes';

/**
 * The authorization matrix's table (test/e2e/authorization-matrix.e2e-spec.ts): one row per
 * operation of /docs-json, written out from api.md. A new route gets its row here. The mass
 * assignment test sends the same requests with fields a client may not set.
 */
export interface Req {
  path: string;
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** multipart: form fields and one file. */
  form?: { fields?: Record<string, string>; file: { content: string; name: string } };
}

export interface Row {
  /** `METHOD /path` exactly as in /docs-json. */
  op: string;
  /** Who may call it (api.md); every other role gets 403. `public`: no login. */
  roles: readonly Role[] | 'public';
  /** The request, against one scope's objects (`seq` makes created codes unique). */
  req: (s: Scope, seq: number) => Req;
  /**
   * What an allowed role gets on its own scope's objects (default 200): a number for all, or
   * per role. The writes run in table order on one world, so a row sees the rows above it.
   */
  own?: number | Partial<Record<Role, number>>;
  /**
   * How another scope shows: `path` (default when the path names an object): B's objects → 404
   * NOT_FOUND; `list`: the list has A's object (`listed`), never B's; `none`: nothing scoped.
   */
  other?: 'path' | 'list' | 'none';
  listed?: (s: Scope) => string;
  /** Allowed roles that see every scope's object here, as admin does (by design: see `why`). */
  sees?: readonly Role[];
  why?: string;
}

export const ALL = ROLES;
const DISTRICT: Role[] = ['district_agri', 'district_finance', 'observer', 'admin'];

const c = (s: Scope) => `/contracts/${s.season.contractId}`;
const line = (s: Scope) => `${c(s)}/task-lines/wheat_harvest`;

export const ROWS: Row[] = [
  // System and administration
  {
    op: 'POST /__test__/clock',
    roles: ['admin'],
    req: () => ({ path: '/__test__/clock', body: { advanceHours: 0 } }),
    other: 'none',
  },
  { op: 'GET /health', roles: 'public', req: () => ({ path: '/health' }), other: 'none' },
  {
    op: 'POST /auth/login',
    roles: 'public',
    req: () => ({ path: '/auth/login', body: { username: 'admin', password: 'wrong-password' } }),
    own: 401,
    other: 'none',
  },
  {
    // A wrong current password: refused for every role (the matrix keeps its sessions).
    op: 'POST /auth/password',
    roles: ALL,
    req: () => ({
      path: '/auth/password',
      body: { currentPassword: 'not-the-password', newPassword: 'Matrix-new-password-1' },
    }),
    own: 400,
    other: 'none',
  },
  {
    op: 'GET /audit-log/verify',
    roles: ['admin', 'observer'],
    req: () => ({ path: '/audit-log/verify' }),
    other: 'none',
  },
  {
    op: 'GET /audit-log/heads',
    roles: ['admin', 'observer'],
    req: () => ({ path: '/audit-log/heads' }),
    other: 'none',
  },
  {
    op: 'POST /audit-log/verify-heads',
    roles: ['admin', 'observer'],
    req: () => ({ path: '/audit-log/verify-heads', body: { heads: [] } }),
    other: 'none',
  },
  {
    op: 'POST /regions',
    roles: ['admin'],
    req: (s, seq) => ({
      path: '/regions',
      body: {
        code: `${s.season.town}${300 + (seq % 600)}`,
        name: `矩阵村${seq}`,
        level: 'village',
        parentCode: s.season.town,
      },
    }),
    own: 201,
    other: 'none',
  },
  { op: 'GET /regions', roles: ALL, req: () => ({ path: '/regions?limit=200' }), other: 'none' },
  {
    op: 'GET /regions/{code}',
    roles: ALL,
    req: (s) => ({ path: `/regions/${s.season.village}` }),
    sees: ['cooperative'],
    why: 'cooperatives work across districts: they bid on open tenders anywhere',
  },
  {
    op: 'POST /organisations',
    roles: ['admin'],
    req: (_, seq) => ({
      path: '/organisations',
      body: {
        name: `矩阵合作社${seq}`,
        creditCode: validCreditCode(),
        legalRepresentative: '李四',
        grade: 'none',
        bankName: '测试银行',
        bankAccountName: `矩阵合作社${seq}`,
        bankAccountNo: `6228${String(seq).padStart(12, '0')}`,
      },
    }),
    own: 201,
    other: 'none',
  },
  {
    op: 'GET /organisations',
    roles: ALL,
    req: () => ({ path: '/organisations?limit=200' }),
    other: 'none',
  },
  {
    op: 'GET /organisations/{id}',
    roles: ALL,
    req: (s) => ({ path: `/organisations/${s.season.organisationId}` }),
    sees: ['village_verifier', 'town_acceptor', 'district_agri', 'district_finance', 'observer'],
    why: 'officials see every bidder (the directory counts everywhere); a cooperative only itself',
  },
  // The directory (名录库) and the blacklist: entries count everywhere. Dated 2090 so that no
  // later row's bid, award or payout meets them.
  {
    op: 'POST /organisations/{id}/listings',
    roles: ['district_agri', 'admin'],
    req: (s) => ({
      path: `/organisations/${s.season.organisationId}/listings`,
      body: { listedOn: '2090-01-01', listedUntil: '2090-12-31' },
    }),
    own: 201,
    sees: ['district_agri'],
    why: 'a listing counts everywhere: any district may list any organisation',
  },
  {
    op: 'POST /organisations/{id}/blacklist',
    roles: ['district_agri', 'admin'],
    req: (s) => ({
      path: `/organisations/${s.season.organisationId}/blacklist`,
      body: { reason: '矩阵测试', from: '2090-01-01', until: '2090-12-31' },
    }),
    own: 201,
    sees: ['district_agri'],
    why: 'a blacklist entry counts everywhere: any district may bar any organisation',
  },
  // Subsidy policies: the administrator enters them; everyone may read the rules.
  {
    op: 'POST /policies',
    roles: ['admin'],
    req: (s, seq) => ({
      path: '/policies',
      body: {
        code: `MATRIX-${seq}`,
        name: '矩阵测试补助标准',
        districtCode: s.season.district,
        effectiveFrom: `${2100 + seq}-01-01`,
        effectiveTo: `${2100 + seq}-12-31`,
        subsidySharePct: 30,
        requireDirectoryListing: false,
      },
    }),
    own: 201,
    other: 'none',
  },
  {
    op: 'GET /policies',
    roles: ALL,
    req: () => ({ path: '/policies' }),
    other: 'none',
  },
  {
    op: 'POST /users',
    roles: ['admin'],
    req: (_, seq) => ({
      path: '/users',
      body: {
        username: `matrix_${seq}`,
        password: `pw-matrix-${seq}-secret`,
        displayName: '矩阵',
        role: 'admin',
      },
    }),
    own: 201,
    other: 'none',
  },
  { op: 'GET /users', roles: ['admin'], req: () => ({ path: '/users' }), other: 'none' },
  { op: 'GET /users/me', roles: ALL, req: () => ({ path: '/users/me' }), other: 'none' },
  {
    op: 'PATCH /users/{id}',
    roles: ['admin'],
    req: (s) => ({ path: `/users/${s.userId}`, body: { displayName: '矩阵改名' } }),
    other: 'none',
  },
  {
    // A common password: refused (a reset would end the session the matrix uses as this user).
    op: 'POST /users/{id}/password',
    roles: ['admin'],
    req: (s) => ({ path: `/users/${s.userId}/password`, body: { password: '1234567890' } }),
    own: 400,
    other: 'none',
  },
  // To-do list: every role; each sees only what waits on it in its own scope
  { op: 'GET /work-items', roles: ALL, req: () => ({ path: '/work-items' }), other: 'none' },
  {
    op: 'GET /users/{id}',
    roles: ALL,
    req: (s) => ({ path: `/users/${s.userId}` }),
    // Each user reads itself; the scope's agri user is only the district_agri caller itself.
    own: {
      admin: 200,
      district_agri: 200,
      cooperative: 404,
      village_verifier: 404,
      town_acceptor: 404,
      district_finance: 404,
      observer: 404,
    },
  },

  // Projects and tenders
  {
    op: 'POST /projects',
    roles: ['district_agri'],
    req: (s, seq) => ({
      path: '/projects',
      body: {
        code: `MATRIX-${seq}`,
        name: '矩阵项目',
        year: s.season.year,
        districtCode: s.season.district,
        villageCodes: [s.season.village],
        tasks: [{ code: 'wheat_harvest', name: '小麦机收', plannedAreaMu: 100 }],
        serviceStart: `${s.season.year}-05-20`,
        serviceEnd: `${s.season.year}-07-31`,
      },
    }),
    own: 201,
  },
  {
    op: 'GET /projects',
    roles: ALL,
    req: () => ({ path: '/projects?limit=200' }),
    other: 'list',
    listed: (s) => s.season.projectId,
    sees: ['cooperative'],
    why: 'an open tender is public to every cooperative: it may bid, from any district',
  },
  {
    op: 'GET /projects/{id}',
    roles: ALL,
    req: (s) => ({ path: `/projects/${s.season.projectId}` }),
    sees: ['cooperative'],
    why: 'an open tender is public to every cooperative: it may bid, from any district',
  },
  {
    op: 'GET /projects/{id}/summary',
    roles: DISTRICT,
    req: (s) => ({ path: `/projects/${s.season.projectId}/summary` }),
  },
  {
    op: 'POST /projects/{id}/tenders',
    roles: ['district_agri'],
    req: (s) => ({
      path: `/projects/${s.season.projectId}/tenders`,
      body: {
        method: 'open',
        publishedIn: '《亳州晚报》',
        publishedOn: `${s.season.year}-05-10`,
        openingOn: `${s.season.year}-05-18`,
        lots: [
          {
            code: 'M1',
            villageCodes: [s.season.village],
            tasks: [{ taskCode: 'wheat_harvest', areaMu: 1 }],
          },
        ],
      },
    }),
    own: 201,
  },
  {
    op: 'GET /projects/{id}/tenders',
    roles: ALL,
    req: (s) => ({ path: `/projects/${s.season.projectId}/tenders` }),
    own: { village_verifier: 404, town_acceptor: 404 },
    sees: ['cooperative'],
    why: 'an open tender is public to every cooperative: it may bid, from any district',
    // Tenders are the district's: a village or town official has none in its scope.
  },
  {
    op: 'GET /tenders/{id}',
    roles: ALL,
    req: (s) => ({ path: `/tenders/${s.tenderId}` }),
    own: { village_verifier: 404, town_acceptor: 404 },
    sees: ['cooperative'],
    why: 'an open tender is public to every cooperative: it may bid, from any district',
    // Tenders are the district's: a village or town official has none in its scope.
  },
  {
    op: 'POST /tenders/{id}/bids',
    roles: ['cooperative'],
    req: (s) => ({
      path: `/tenders/${s.tenderId}/bids`,
      body: { lotCode: 'L1', prices: [{ taskCode: 'wheat_harvest', unitPriceYuan: '60.00' }] },
    }),
    own: 409,
    sees: ['cooperative'],
    why: 'an open tender is public to every cooperative: it may bid, from any district',
  },
  {
    op: 'GET /tenders/{id}/bids',
    roles: ['cooperative', ...DISTRICT],
    req: (s) => ({ path: `/tenders/${s.tenderId}/bids` }),
    sees: ['cooperative'],
    why: 'an open tender is public to every cooperative: it may bid, from any district',
  },
  {
    op: 'POST /tenders/{id}/open',
    roles: ['district_agri'],
    req: (s) => ({ path: `/tenders/${s.tenderId}/open` }),
    own: 409,
  },
  {
    op: 'POST /tenders/{id}/scores',
    roles: ['district_agri'],
    req: (s) => ({
      path: `/tenders/${s.tenderId}/scores`,
      body: { bidId: '00000000-0000-4000-8000-000000000000', expert: '专家甲', score: 90 },
    }),
    own: 400,
  },
  {
    op: 'POST /tenders/{id}/awards',
    roles: ['district_agri'],
    req: (s) => ({
      path: `/tenders/${s.tenderId}/awards`,
      body: {
        lotCode: 'L1',
        bidId: '00000000-0000-4000-8000-000000000000',
        workDeadline: `${s.season.year}-06-30`,
      },
    }),
    own: 400,
  },

  // Contracts and field work
  {
    op: 'GET /contracts',
    roles: ALL,
    req: () => ({ path: '/contracts?limit=200' }),
    other: 'list',
    listed: (s) => s.season.contractId,
  },
  { op: 'GET /contracts/{id}', roles: ALL, req: (s) => ({ path: c(s) }) },
  { op: 'GET /contracts/{id}/history', roles: ALL, req: (s) => ({ path: `${c(s)}/history` }) },
  {
    op: 'GET /contracts/{id}/calculation',
    roles: ALL,
    req: (s) => ({ path: `${c(s)}/calculation` }),
  },
  {
    op: 'POST /contracts/{id}/sign',
    roles: ['district_agri'],
    req: (s) => ({
      path: `${c(s)}/sign`,
      body: { contractNo: 'X-1', signedOn: `${s.season.year}-05-22` },
    }),
    own: 409,
  },
  {
    op: 'POST /contracts/{id}/register',
    roles: ['cooperative'],
    req: (s) => ({
      path: `${c(s)}/register`,
      form: {
        file: {
          content: registerCsv(registerRows(s.season.village, 'wheat_harvest', [100])),
          name: 'register.csv',
        },
      },
    }),
    own: 409,
  },
  { op: 'GET /contracts/{id}/register', roles: ALL, req: (s) => ({ path: `${c(s)}/register` }) },
  {
    op: 'PATCH /contracts/{id}/register/{rowId}',
    roles: ['cooperative'],
    req: (s) => ({ path: `${c(s)}/register/${s.rowId}`, body: { operatorName: '王机手' } }),
    own: 409,
  },
  {
    op: 'DELETE /contracts/{id}/register/{rowId}',
    roles: ['cooperative'],
    req: (s) => ({ path: `${c(s)}/register/${s.rowId}` }),
    own: 409,
  },
  {
    op: 'POST /contracts/{id}/attachments',
    roles: ['cooperative'],
    req: (s) => ({
      path: `${c(s)}/attachments`,
      form: { fields: { kind: 'other' }, file: { content: '%PDF-1.4 matrix', name: 'other.pdf' } },
    }),
    own: 201,
  },
  {
    op: 'GET /contracts/{id}/attachments',
    roles: ALL,
    req: (s) => ({ path: `${c(s)}/attachments` }),
  },
  {
    op: 'POST /contracts/{id}/task-lines/{taskCode}/claim',
    roles: ['cooperative'],
    req: (s) => ({ path: `${line(s)}/claim` }),
    own: 409,
  },

  // Verification, notices and objections
  {
    op: 'POST /contracts/{id}/task-lines/{taskCode}/villages/{villageCode}/verification',
    roles: ['village_verifier'],
    req: (s) => ({ path: `${line(s)}/villages/${s.season.village}/verification`, body: {} }),
    own: 409,
  },
  {
    op: 'GET /public/notices',
    roles: 'public',
    req: () => ({ path: '/public/notices' }),
    other: 'none',
  },
  {
    op: 'GET /public/notices/{id}',
    roles: 'public',
    req: (s) => ({ path: `/public/notices/${s.season.noticeId}` }),
    other: 'none',
  },
  {
    op: 'POST /public/notices/{id}/objections',
    roles: 'public',
    req: (s) => ({
      path: `/public/notices/${s.season.noticeId}/objections`,
      body: { name: '赵某', phone: '13900000000', text: '有异议' },
    }),
    own: 409,
    other: 'none',
  },
  {
    op: 'GET /objections',
    roles: ['village_verifier', 'district_agri', 'observer', 'admin'],
    req: () => ({ path: '/objections?limit=200' }),
    other: 'list',
    listed: (s) => s.season.objectionId,
  },
  {
    op: 'POST /objections/{id}/resolve',
    roles: ['village_verifier', 'district_agri'],
    req: (s) => ({
      path: `/objections/${s.season.objectionId}/resolve`,
      body: { outcome: 'dismissed', note: '复核' },
    }),
    // A village notice's objection is the village verifier's; the committee resolves media ones.
    own: { village_verifier: 409, district_agri: 403 },
  },

  // Town acceptance
  {
    op: 'POST /contracts/{id}/task-lines/{taskCode}/acceptance',
    roles: ['town_acceptor'],
    req: (s) => ({
      path: `${line(s)}/acceptance`,
      body: { villages: [{ villageCode: s.season.village, acceptedAreaMu: '1.00' }] },
    }),
    own: 409,
  },
  {
    op: 'POST /acceptance-records/{id}/signatures',
    roles: ['town_acceptor'],
    req: (s) => ({
      path: `/acceptance-records/${s.acceptanceRecordId}/signatures`,
      body: { decision: 'pass' },
    }),
    own: 409,
  },
  {
    op: 'POST /acceptance-records/{id}/revise',
    roles: ['town_acceptor'],
    req: (s) => ({
      path: `/acceptance-records/${s.acceptanceRecordId}/revise`,
      body: { villages: [{ villageCode: s.season.village, acceptedAreaMu: '1.00' }], note: '改' },
    }),
    own: 409,
  },
  {
    op: 'POST /contracts/{id}/task-lines/{taskCode}/rework',
    roles: ['town_acceptor'],
    req: (s) => ({ path: `${line(s)}/rework`, body: { note: '返工' } }),
    own: 409,
  },

  // District audit, media notice, payout
  {
    op: 'POST /contracts/{id}/audit/approvals',
    roles: ['district_agri', 'district_finance'],
    req: (s) => ({ path: `${c(s)}/audit/approvals`, body: {} }),
    own: 409,
  },
  {
    op: 'POST /contracts/{id}/audit/reject',
    roles: ['district_agri', 'district_finance'],
    req: (s) => ({ path: `${c(s)}/audit/reject`, body: { note: '退回' } }),
    own: 409,
  },
  {
    op: 'POST /contracts/{id}/audit/sample',
    roles: ['district_agri', 'district_finance'],
    req: (s) => ({ path: `${c(s)}/audit/sample`, body: {} }),
    own: 409,
  },
  {
    op: 'GET /contracts/{id}/audit/sample',
    roles: DISTRICT,
    req: (s) => ({ path: `${c(s)}/audit/sample` }),
  },
  {
    op: 'POST /audit-samples/{id}/visits',
    roles: ['district_agri', 'district_finance'],
    req: (s) => ({
      path: `/audit-samples/${s.season.auditSampleId}/visits`,
      body: {
        rowId: s.rowId,
        visitedOn: `${s.season.year}-07-09`,
        method: 'phone',
        householdConfirms: true,
        observedAreaMu: '0.01',
      },
    }),
    own: 409,
  },
  {
    op: 'POST /audit-visits/{id}/photos',
    roles: ['district_agri', 'district_finance'],
    req: (s) => ({
      path: `/audit-visits/${s.season.auditVisitId}/photos`,
      form: { file: { content: 'not a photo', name: 'photo.jpg' } },
    }),
    own: 415,
  },
  {
    op: 'POST /contracts/{id}/media-notice',
    roles: ['district_agri'],
    req: (s) => ({
      path: `${c(s)}/media-notice`,
      body: { mediaName: '《亳州晚报》', publishedOn: `${s.season.year}-07-20` },
    }),
    own: 409,
  },
  {
    op: 'POST /contracts/{id}/payouts',
    roles: ['district_finance'],
    req: (s, seq) => ({
      path: `${c(s)}/payouts`,
      headers: { 'Idempotency-Key': `matrix-${seq}` },
      body: {},
    }),
    own: 409,
  },
  {
    op: 'GET /payouts',
    roles: DISTRICT,
    req: () => ({ path: '/payouts?limit=200' }),
    other: 'list',
    listed: (s) => s.season.payoutId,
  },
  {
    op: 'GET /payouts/export',
    roles: ['district_finance', 'admin'],
    req: () => ({ path: '/payouts/export?state=issued&format=csv' }),
    other: 'none',
  },
  { op: 'GET /payouts/{id}', roles: ALL, req: (s) => ({ path: `/payouts/${s.season.payoutId}` }) },

  // Payment batches and the bank's result file
  {
    op: 'POST /payment-batches',
    roles: ['district_finance'],
    req: () => ({ path: '/payment-batches', body: {} }),
    own: 409,
    other: 'none',
  },
  {
    op: 'GET /payment-batches',
    roles: ['district_finance'],
    req: () => ({ path: '/payment-batches' }),
    other: 'list',
    listed: (s) => s.batchId,
  },
  {
    op: 'GET /payment-batches/{id}',
    roles: ['district_finance'],
    req: (s) => ({ path: `/payment-batches/${s.batchId}` }),
  },
  {
    op: 'GET /payment-batches/{id}/file',
    roles: ['district_finance'],
    req: (s) => ({ path: `/payment-batches/${s.batchId}/file?format=csv` }),
  },
  {
    op: 'POST /payment-batches/{id}/result',
    roles: ['district_finance'],
    req: (s) => ({
      path: `/payment-batches/${s.batchId}/result`,
      form: {
        file: {
          content:
            '拨付单号,银行账号,金额(元),状态,银行流水号,失败原因\nNO-SUCH,1,1.00,成功,B-1,\n',
          name: 'result.csv',
        },
      },
    }),
  },
  {
    op: 'POST /payouts/{id}/confirm',
    roles: ['district_finance'],
    req: (s) => ({
      path: `/payouts/${s.season.payoutId}/confirm`,
      body: { bankReference: 'MATRIX-1' },
    }),
  },
  {
    op: 'POST /payouts/{id}/fail',
    roles: ['district_finance'],
    req: (s) => ({ path: `/payouts/${s.season.payoutId}/fail`, body: { reason: '户名不符' } }),
    own: 409,
  },
  {
    op: 'POST /contracts/{id}/terminate',
    roles: ['district_agri'],
    req: (s) => ({ path: `${c(s)}/terminate`, body: { reason: '合同终止' } }),
    own: 409,
  },

  // Documents
  {
    op: 'GET /contracts/{id}/documents/{kind}',
    roles: ALL,
    req: (s) => ({ path: `${c(s)}/documents/award-notice` }),
  },
  {
    op: 'GET /contracts/{id}/archive',
    roles: [...DISTRICT, 'cooperative'],
    req: (s) => ({ path: `${c(s)}/archive` }),
  },
  {
    op: 'GET /projects/{id}/archive',
    roles: DISTRICT,
    req: (s) => ({ path: `/projects/${s.season.projectId}/archive` }),
  },
  {
    op: 'GET /public/documents/{sha256}',
    roles: 'public',
    req: (s) => ({ path: `/public/documents/${s.documentSha256}` }),
    other: 'none',
  },
];
