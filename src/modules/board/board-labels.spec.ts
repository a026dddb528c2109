import { noticeStateView, objectionOutcomeView } from './board-labels';

describe('board labels', () => {
  it('shows every state but running as closed, terminated and unknown ones included', () => {
    expect(noticeStateView('running')).toMatchObject({ label: '公示中', closed: false });
    for (const state of ['cleared', 'superseded', 'terminated', 'somethingNew'])
      expect(noticeStateView(state).closed).toBe(true);
    expect(noticeStateView('terminated').label).toBe('合同已终止，公示关闭');
    expect(noticeStateView('cleared', 'village').reason).toContain('（镇验收）');
    expect(noticeStateView('cleared', 'media').reason).toContain('（资金拨付）');
  });

  it('names the outcome of an objection', () => {
    expect(objectionOutcomeView('dismissed').label).toContain('已驳回');
    expect(objectionOutcomeView('upheld').label).toContain('已采纳');
    expect(objectionOutcomeView('open').label).toBe('处理中');
  });
});
