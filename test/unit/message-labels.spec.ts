import { msg, render } from '../../src/common/i18n/message';
import { ACCEPTANCE_ROLES, ROLES } from '../../src/modules/auth/roles';
import { contractMachine } from '../../src/modules/contracts/machine/contract.machine';
import {
  CONTRACT_STATES,
  TASK_LINE_STATES,
  VILLAGE_PART_STATES,
} from '../../src/modules/contracts/machine/contract.types';
import { CLAIM_ATTACHMENTS } from '../../src/modules/field-work/attachment.entity';
import { REGION_LEVELS } from '../../src/modules/regions/region.entity';

/**
 * A code a message names (a state, an event type, a role, a region level, an attachment kind) is
 * put in words for a Chinese reader, and kept as the API spells it in English. The lists come
 * from the code itself, so a state, event or role added without its Chinese label fails here.
 */
const CJK = /[\u4e00-\u9fff]/;

describe('codes named in messages are words in Chinese, codes in English', () => {
  const events = (contractMachine as unknown as { events: string[] }).events;

  it('reads the lists (the test looks at every code)', () => {
    expect(events).toEqual(expect.arrayContaining(['contract.signed', 'mediaNotice.opened']));
    expect(CONTRACT_STATES.length + TASK_LINE_STATES.length + VILLAGE_PART_STATES.length).toBe(20);
  });

  it.each([...CONTRACT_STATES, ...TASK_LINE_STATES, ...VILLAGE_PART_STATES])(
    'state %s',
    (state) => {
      const message = msg('transition.notAllowedWhile', { event: 'contract.signed', state });
      const zh = render(message, 'zh');
      expect(zh).not.toContain(state);
      expect(zh).toMatch(/^合同状态为“[\u4e00-\u9fff，]+”时不能进行“签订合同”$/);
      expect(render(message, 'en')).toBe(
        `contract.signed is not allowed while the contract is ${state}`,
      );
    },
  );

  it.each(events)('event %s', (event) => {
    const message = msg('transition.notAllowed', { event, contractState: 'inService' });
    const zh = render(message, 'zh');
    expect(zh).not.toContain(event);
    expect(zh).toMatch(/^现在不能进行“[\u4e00-\u9fff]+”：合同状态为“作业中”$/);
    expect(render(message, 'en')).toContain(event);
  });

  it.each(ROLES)('role %s', (role) => {
    const zh = render(msg('auth.roleMayNot', { role }), 'zh');
    expect(zh).not.toContain(role);
    expect(zh).toMatch(/^角色“[\u4e00-\u9fff]+”不能进行此操作$/);
    expect(render(msg('auth.roleMayNot', { role }), 'en')).toBe(`Role ${role} may not do this`);
  });

  it('acceptance roles, region levels and the papers a claim needs', () => {
    const quorum = msg('refusal.quorum', {
      quorum: 5,
      roles: ACCEPTANCE_ROLES.join(', '),
      passCount: 4,
      covered: ACCEPTANCE_ROLES.slice(0, 2).join(', '),
    });
    for (const role of ACCEPTANCE_ROLES) expect(render(quorum, 'zh')).not.toContain(role);
    expect(render(quorum, 'en')).toContain(ACCEPTANCE_ROLES.join(', '));

    for (const level of REGION_LEVELS) {
      const wrong = render(
        msg('region.parentWrongLevel', {
          level,
          parentLevel: level,
          parentCode: '1',
          actualLevel: level,
        }),
        'zh',
      );
      expect(wrong).not.toContain(level);
      expect(wrong).toMatch(CJK);
    }

    const claim = msg('claim.incomplete', {
      taskCode: 'wheat_harvest',
      missing: ['register rows', ...CLAIM_ATTACHMENTS],
    });
    expect(render(claim, 'zh')).toBe(
      '作业环节 wheat_harvest 申报前还需要：清册记录、法人证书、合同扫描件、清册扫描件',
    );
    expect(render(claim, 'en')).toBe(
      `The claim of wheat_harvest still needs: register rows, ${CLAIM_ATTACHMENTS.join(', ')}`,
    );
  });
});
