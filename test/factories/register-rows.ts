import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { identifierKey } from '../../src/common/values/identifier';
import { residentIdCheckCharacter } from '../../src/common/values/resident-id';
import type { Actor } from '../../src/modules/auth/actor';
import { ContractWorkflowService } from '../../src/modules/contracts/contract-workflow.service';
import { Contract } from '../../src/modules/contracts/contract.entity';
import { registerRefusal, rowsStartWork } from '../../src/modules/contracts/machine/queries';
import { queryRefusalError } from '../../src/modules/contracts/workflow/refusal-error';
import { RegisterRow } from '../../src/modules/field-work/register-row.entity';
import type { RegisterRowInput } from '../../src/modules/field-work/register.service';
import { nextSeq } from './codes';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const GIVEN = ['秀英', '桂英', '建国', '志强', '丽', '军', '敏', '静', '伟', '芳'];

/** A valid resident ID number of someone born in 1960-1990 in 谯城区 (341602). */
export function residentId(seq = nextSeq()): string {
  const birth = `${1960 + (seq % 30)}${String(1 + (seq % 12)).padStart(2, '0')}${String(1 + (seq % 28)).padStart(2, '0')}`;
  const first17 = `341602${birth}${String(seq % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckCharacter(first17);
}

/** Complete, valid register rows for one village and task; areas in hundredths of a mu. */
export function registerRows(
  villageCode: string,
  taskCode: string,
  areas: number[],
): RegisterRowInput[] {
  return areas.map((area, index) => {
    const seq = nextSeq();
    return {
      rowNo: index + 2,
      villageCode,
      householdName: `${SURNAMES[seq % 10]}${GIVEN[(seq * 7) % 10]}`,
      householdIdNo: residentId(seq),
      plotCode: `P${villageCode.slice(-3)}-${seq}`,
      taskCode,
      area,
      workDate: '2015-06-10',
      machineNo: `皖S-${1000 + (seq % 9000)}`,
      operatorName: '刘机手',
      townCadreSigned: '周镇干部',
      villageCadreSigned: '吴村干部',
      operatorSigned: '刘机手',
      farmerSigned: '1',
    };
  });
}

/**
 * Stores register rows as an accepted import would, without the import's checks, file and audit
 * row (a test builder: the import itself is `POST /contracts/:id/register`, tested on its own).
 * Under the contract's row lock; the first rows of a contract not yet at work start it
 * (`work.started` through the workflow, in the same transaction), as the import does.
 */
export async function storeRegisterRows(
  app: INestApplication,
  actor: Actor,
  contractId: string,
  rows: RegisterRowInput[],
): Promise<RegisterRow[]> {
  const workflow = app.get(ContractWorkflowService);
  return app.get(DataSource).transaction(async (manager) => {
    const contract = await manager.findOne(Contract, {
      where: { id: contractId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!contract) throw new Error(`storeRegisterRows: no contract ${contractId}`);
    const closed = registerRefusal(contract.state);
    if (closed) throw queryRefusalError(closed, contract.state, 'register.rows');
    const stored = await manager.save(
      rows.map((row) =>
        manager.create(RegisterRow, {
          ...row,
          plotKey: identifierKey(row.plotCode),
          contractId: contract.id,
          projectId: contract.projectId,
          state: 'working',
          verifiedArea: null,
        }),
      ),
      { chunk: 1000 },
    );
    if (rowsStartWork(contract.state) && stored.length > 0) {
      await workflow.execute(
        { contractId, actor, prepare: () => Promise.resolve({ type: 'work.started' as const }) },
        manager,
      );
    }
    return stored;
  });
}
