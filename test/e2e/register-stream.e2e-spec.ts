import fs from 'node:fs';
import path from 'node:path';
import { IMPORT_BATCH_ROWS } from '../../src/modules/field-work/register-import-rows';
import { residentId } from '../factories/register-rows';
import { Api } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { awardQiaocheng, buildQiaocheng, type Qiaocheng } from '../support/qiaocheng';
import { createTestApp, type TestApp } from '../support/test-app';

// The register import reads, checks and stores a file batch by batch (register-import-rows.ts):
// these files are larger than one batch, so what is checked across batches and what a late
// whole-file problem leaves behind are seen.

const MAX_ROWS = IMPORT_BATCH_ROWS + 20;

/** Work date, machine, operator and the four signatures: the same on every row here. */
const SIGNED_WORK = ['2015-06-10', '皖S-1234', '刘机手', '周干部', '吴干部', '刘机手', '1'];

/** A register row of 王各村's wheat harvest, 1 mu, plot `plot`. */
function line(plot: string, index: number, areaMu = '1'): string {
  const id = residentId(1000 + (index % 5000));
  return ['王各村', '张三', id, plot, '小麦机收', areaMu, ...SIGNED_WORK].join(',');
}

const HEADER =
  'villageCode,householdName,householdIdNo,plotCode,taskCode,areaMu,workDate,machineNo,operatorName,townCadreSigned,villageCadreSigned,operatorSigned,farmerSigned';

function csv(lines: string[]): Buffer {
  return Buffer.from([HEADER, ...lines].join('\n') + '\n');
}

function plots(count: number): string[] {
  return Array.from({ length: count }, (_, index) => line(`S-${index + 1}`, index));
}

describe('register import of files larger than one batch', () => {
  let test: TestApp;
  let api: Api;

  beforeAll(async () => {
    test = await createTestApp({ registerMaxRows: MAX_ROWS });
    api = new Api(test);
  });
  afterAll(async () => {
    await test.close();
  });

  async function signedContract(q: Qiaocheng): Promise<string> {
    const { contractIds } = await awardQiaocheng(api, q);
    await test
      .http()
      .post(`/contracts/${contractIds[0]}/sign`)
      .set(q.agri.auth)
      .send({ contractNo: `S-${contractIds[0].slice(0, 6)}`, signedOn: '2015-06-01' })
      .expect(200);
    return contractIds[0];
  }

  const upload = (q: Qiaocheng, contractId: string, content: Buffer) =>
    test
      .http()
      .post(`/contracts/${contractId}/register`)
      .set(q.coops[0].auth)
      .attach('file', content, 'register.csv');

  const storedRows = async (q: Qiaocheng, contractId: string): Promise<number> =>
    (
      await test
        .http()
        .get(`/contracts/${contractId}/register?limit=1`)
        .set(q.coops[0].auth)
        .expect(200)
    ).body.total as number;

  it('finds a duplicate of an earlier batch and the assigned area across batches', async () => {
    const q = await buildQiaocheng(api);
    const contractId = await signedContract(q);
    // 王各村's contract is assigned 8,000 mu of wheat harvest.
    const lines = [
      ...plots(IMPORT_BATCH_ROWS + 5),
      line('S-1', 0), // a duplicate of row 2, in the second batch
      line('BIG', 1, '2990'), // 5,005 + 2,990 mu = 7,995: still within
      line('BIGGER', 2, '6'), // 8,001 mu: over
      line('LAST', 3, '5'), // 8,000 mu exactly: within
    ];
    const response = await upload(q, contractId, csv(lines)).expect(200);
    const first = IMPORT_BATCH_ROWS + 7; // spreadsheet row of the duplicate
    expect(
      response.body.rejected.map((rejection: { row: number; code: string }) => [
        rejection.row,
        rejection.code,
      ]),
    ).toEqual([
      [first, 'DUPLICATE_PLOT_TASK'],
      [first + 2, 'OVER_ASSIGNED_AREA'],
    ]);
    expect(response.body.accepted).toBe(IMPORT_BATCH_ROWS + 7);
    expect(await storedRows(q, contractId)).toBe(IMPORT_BATCH_ROWS + 7);
  });

  it.each([
    ['a ragged line after the first batch', [...plots(IMPORT_BATCH_ROWS + 3), 'a,b'], 'notATable'],
    ['more rows than allowed', plots(MAX_ROWS + 1), 'tooManyRows'],
  ])(
    'refuses a file with %s whole: the batches already stored roll back',
    async (_, lines, reason) => {
      const q = await buildQiaocheng(api);
      const contractId = await signedContract(q);
      const response = await expectNoWrites(test.dataSource, () =>
        upload(q, contractId, csv(lines)),
      );
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'REGISTER_FILE_REJECTED', reason });
      expect(await storedRows(q, contractId)).toBe(0);
    },
  );

  it('deletes the temporary file of every upload, stored or refused', async () => {
    const uploads = path.join(test.config.dataDir, 'uploads');
    const q = await buildQiaocheng(api);
    const contractId = await signedContract(q);
    await upload(q, contractId, csv(plots(3))).expect(200);
    await upload(q, contractId, Buffer.from('a,b\n1,2\n')).expect(400);
    await upload(q, contractId, csv([...plots(2), 'a,b'])).expect(400);
    // Another contract id that does not exist: refused after multer stored the file.
    await upload(q, '00000000-0000-4000-8000-000000000000', csv(plots(1))).expect(404);
    // The file is deleted as the response completes; give the last unlink a moment.
    for (let wait = 0; wait < 20 && fs.readdirSync(uploads).length > 0; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(fs.readdirSync(uploads)).toEqual([]);
  });
});
