/**
 * What a transition does outside the snapshot, as data: the machine's own actions with their
 * params (contract.machine.ts), as XState's `transition()` returns them next to the snapshot.
 * The workflow loop turns each effect into its statement, in the same save as the transition
 * (workflow/effect-writes.ts). Pure: the same transition always gives the same effects.
 */
export type Effect =
  /** A notice's 7 days are over with no open objection. */
  | { type: 'notice.clear'; noticeId: string }
  /** An upheld objection sent its part (or the contract) back: a new notice must run. */
  | { type: 'notice.supersede'; noticeId: string }
  /** The contract was terminated: every running notice closes and its timer is cancelled. */
  | { type: 'notices.terminate' }
  /** The claim freezes the line's register rows still being worked. */
  | { type: 'registerRows.claim'; taskCode: string }
  /** A rework sends the line's claimed rows back to work, their verified areas cleared. */
  | { type: 'registerRows.rework'; taskCode: string }
  /** An upheld objection to a village notice: the village verifies its rows again. */
  | { type: 'registerRows.unverify'; taskCode: string; villageCode: string }
  /** A rework closes the line's open or failed acceptance records. */
  | { type: 'acceptanceRecords.supersede'; taskCode: string }
  /** The bank paid the contract's current payout. */
  | { type: 'payout.confirm'; payoutId: string; bankReference: string | null }
  /** The bank refused it: the contract may be paid again. */
  | { type: 'payout.fail'; payoutId: string; failureReason: string | null };

export type EffectType = Effect['type'];

/** Every effect type, as the machine names its actions (checked both ways by the compiler). */
export const EFFECT_TYPES = [
  'notice.clear',
  'notice.supersede',
  'notices.terminate',
  'registerRows.claim',
  'registerRows.rework',
  'registerRows.unverify',
  'acceptanceRecords.supersede',
  'payout.confirm',
  'payout.fail',
] as const satisfies readonly EffectType[];

type Unlisted = Exclude<EffectType, (typeof EFFECT_TYPES)[number]>;
const COMPLETE: Unlisted extends never ? true : Unlisted = true;
void COMPLETE;

const IS_EFFECT: ReadonlySet<string> = new Set(EFFECT_TYPES);

/** An action as `transition()` returns it: its type and its resolved params. */
export interface ReturnedAction {
  type: string;
  params?: unknown;
}

/**
 * The effects among a transition's actions, in the order the machine ran them (the context's
 * own `assign`s are not returned by `transition()`; any other action is not an effect).
 */
export function effectsOf(actions: readonly ReturnedAction[]): Effect[] {
  return actions
    .filter((action) => IS_EFFECT.has(action.type))
    .map((action) => ({ ...(action.params as object), type: action.type }) as Effect);
}
