/** Every state but `running` is closed; `terminated` comes with contract termination. */
const STATE_LABELS: Record<string, { label: string; reason: string }> = {
  running: { label: '公示中', reason: '' },
  cleared: {
    label: '公示期满，已结束',
    reason: '公示期已满，且没有未处理的异议，公示结束，进入下一步。',
  },
  superseded: {
    label: '异议成立，公示撤回',
    reason: '有异议经核实成立，本次公示撤回；将重新核实，并重新公示 7 天。',
  },
  terminated: {
    label: '合同已终止，公示关闭',
    reason: '这份服务合同已由区里终止，本公示随之关闭。',
  },
};

const OUTCOMES: Record<string, { label: string; className: string }> = {
  open: { label: '处理中', className: 'outcome-open' },
  dismissed: { label: '经核实，异议不成立（已驳回）', className: 'outcome-dismissed' },
  upheld: { label: '经核实，异议成立（已采纳）', className: 'outcome-upheld' },
};

/** After a village notice the town accepts the work; after the media notice the subsidy is paid. */
const NEXT_STEP = { village: '镇验收', media: '资金拨付' } as const;

/** What a villager reads for a notice's state; any state not known here is still shown closed. */
export function noticeStateView(
  state: string,
  kind: 'village' | 'media' = 'village',
): { label: string; reason: string; closed: boolean } {
  const known = STATE_LABELS[state];
  const next = NEXT_STEP[kind];
  return {
    label: known?.label ?? '公示已关闭',
    reason: (known?.reason ?? '本公示已关闭。').replace('进入下一步', `进入下一步（${next}）`),
    closed: state !== 'running',
  };
}

export function objectionOutcomeView(state: string): { label: string; className: string } {
  return OUTCOMES[state] ?? { label: '已处理', className: '' };
}

/** The village's assessment (质量和成效评价) as people read it: 好 / 一般 / 差, with its note. */
export const ASSESSMENT_LABELS: Record<string, string> = { good: '好', fair: '一般', poor: '差' };

export function assessmentText(quality: string, note: string | null): string {
  const label = ASSESSMENT_LABELS[quality] ?? quality;
  return note ? `${label}（${note}）` : label;
}
