import {
  contractTakesObjection,
  noticeOf,
  noticeTakesObjections,
  partOf,
  settleTaskLine,
  settleVillagePart,
} from './contract-context';
import type { NoticeState, TaskLine, VillagePart, VillagePartState } from './contract.types';
import { claimed, withRunningNotice } from '../../../../test/factories/contracts';

/** The context helpers the machine's actions use, one rule at a time, on hand-made parts. */
const notice = (elapsed: boolean, openObjections = 0): NoticeState => ({
  noticeId: 'N-1',
  endsAt: '2015-06-08T00:00:00.000Z',
  elapsed,
  openObjections,
});

const part = (
  villageCode: string,
  state: VillagePartState,
  verifiedArea: number | null = null,
  withNotice: NoticeState | null = null,
): VillagePart => ({
  villageCode,
  state,
  claimedArea: 10_000,
  verifiedArea,
  acceptedArea: null,
  notice: withNotice,
});

const taskLine = (state: TaskLine['state'], parts: VillagePart[]): TaskLine => ({
  taskCode: 'WHEAT',
  unitPriceFen: 6367,
  subsidyPerMuFen: 6367,
  assignedArea: 50_000,
  state,
  claimedArea: 20_000,
  verifiedArea: null,
  acceptedArea: null,
  auditedArea: null,
  amountFen: null,
  villageParts: Object.fromEntries(parts.map((p) => [p.villageCode, p])),
});

describe('settleTaskLine', () => {
  it('keeps a claimed line claimed while every village is still verifying', () => {
    const line = taskLine('claimed', [part('V1', 'verifying'), part('V2', 'verifying')]);
    settleTaskLine(line);
    expect(line.state).toBe('claimed');
  });

  it('moves a claimed line to village verification with its first verified village', () => {
    const line = taskLine('claimed', [part('V1', 'noticeRunning', 9_000), part('V2', 'verifying')]);
    settleTaskLine(line);
    expect(line.state).toBe('villageVerification');
    expect(line.verifiedArea).toBeNull();
  });

  it('moves only a claimed line: another state is left alone', () => {
    const line = taskLine('working', [part('V1', 'noticeRunning', 9_000), part('V2', 'verifying')]);
    settleTaskLine(line);
    expect(line.state).toBe('working');
  });

  it('goes to town acceptance when every village notice has cleared, with the verified areas summed', () => {
    const line = taskLine('villageVerification', [
      part('V1', 'noticeCleared', 9_000),
      part('V2', 'noticeCleared', 4_550),
    ]);
    settleTaskLine(line);
    expect(line.state).toBe('townAcceptance');
    expect(line.verifiedArea).toBe(13_550);
  });

  it('waits for the last village', () => {
    const line = taskLine('villageVerification', [
      part('V1', 'noticeCleared', 9_000),
      part('V2', 'noticeRunning', 4_550),
    ]);
    settleTaskLine(line);
    expect(line.state).toBe('villageVerification');
    expect(line.verifiedArea).toBeNull();
  });

  it('a line without village parts never reaches town acceptance', () => {
    const line = taskLine('claimed', []);
    settleTaskLine(line);
    expect(line.state).toBe('claimed');
    expect(line.verifiedArea).toBeNull();
  });
});

describe('settleVillagePart', () => {
  it('clears a running notice whose 7 days are over with no open objection', () => {
    const village = part('V1', 'noticeRunning', 9_000, notice(true));
    settleVillagePart(village);
    expect(village.state).toBe('noticeCleared');
  });

  it.each([
    ['its 7 days are not over', part('V1', 'noticeRunning', 9_000, notice(false))],
    ['an objection is open', part('V1', 'noticeRunning', 9_000, notice(true, 1))],
    ['it has no notice', part('V1', 'noticeRunning', 9_000, null)],
    ['the part is verifying again', part('V1', 'verifying', null, notice(true))],
  ])('leaves it when %s', (_why, village) => {
    const before = village.state;
    settleVillagePart(village);
    expect(village.state).toBe(before);
  });
});

describe('objections', () => {
  it('a notice takes objections during its 7 days, and after them while one is open', () => {
    expect(noticeTakesObjections(notice(false))).toBe(true);
    expect(noticeTakesObjections(notice(true, 2))).toBe(true);
    expect(noticeTakesObjections(notice(true, 0))).toBe(false);
    expect(noticeTakesObjections(undefined)).toBe(false);
  });

  it('a contract takes an objection to its running notice unless it is terminated', () => {
    const running = withRunningNotice(9_000);
    expect(noticeOf(running.context, 'N-1')?.noticeId).toBe('N-1');
    expect(contractTakesObjection(running, 'N-1')).toBe(true);
    expect(contractTakesObjection(running, 'N-2')).toBe(false);
    expect(contractTakesObjection({ ...running, value: 'terminated' }, 'N-1')).toBe(false);
    expect(contractTakesObjection(claimed(), 'N-1')).toBe(false);
  });
});

describe('partOf', () => {
  it('names the task line and village whose part runs the notice, and nothing for another', () => {
    expect(partOf(withRunningNotice().context, 'N-1')).toEqual({
      taskCode: 'WHEAT',
      villageCode: 'V1',
    });
    expect(partOf(withRunningNotice().context, 'N-2')).toBeUndefined();
    expect(partOf(claimed().context, 'N-1')).toBeUndefined();
  });
});
