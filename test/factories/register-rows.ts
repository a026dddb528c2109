import type { RegisterRowInput } from '../../src/modules/field-work/register.service';
import { residentIdCheckCharacter } from '../../src/common/values/resident-id';
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
