import { contractMachine } from './contract.machine';
import type { ContractEventType } from './contract.types';

/**
 * docs/lifecycle.md, built from the machine definition itself (`npm run docs:lifecycle`), so that
 * the page never drifts from contract.machine.ts. Pure: no file system, no clock.
 */

/** Who sends each event, and through which route. */
export const EVENT_SENDERS: Readonly<Record<ContractEventType, string>> = {
  'contract.signed': 'district_agri (POST /contracts/:id/sign)',
  'work.started': 'the first accepted register row (cooperative import)',
  'taskLine.claimed': 'cooperative (POST /contracts/:id/task-lines/:taskCode/claim)',
  'village.verified':
    'village_verifier of that village (POST …/villages/:villageCode/verification)',
  'objection.filed': 'anyone, no login (POST /public/notices/:id/objections)',
  'objection.resolved':
    'village_verifier (village notice) or district_agri (media notice) (POST /objections/:id/resolve)',
  'notice.elapsed': "the notice scheduler, at the notice's end",
  'acceptance.completed': 'town_acceptor quorum (≥5 pass signers covering the four roles)',
  'taskLine.reworked': 'town_acceptor (POST …/rework)',
  'taskLine.withdrawn': 'district_agri',
  'audit.approved': 'district_agri and district_finance (two people)',
  'audit.rejected': 'district_agri or district_finance',
  'audit.sampleDrawn': 'district_agri or district_finance (POST /contracts/:id/audit/sample)',
  'audit.visitRecorded':
    'district_agri or district_finance of the district (POST /audit-samples/:id/visits)',
  'mediaNotice.opened': 'district_agri (POST /contracts/:id/media-notice)',
  'payout.issued': 'district_finance (POST /contracts/:id/payouts)',
  'payout.confirmed': 'district_finance (POST /payouts/:id/confirm|fail)',
  'payout.failed': 'district_finance (POST /payouts/:id/confirm|fail)',
  'contract.terminated': 'district_agri, with a reason',
};

/** One line per guard of the machine: what must hold for the transition to be taken. */
export const GUARD_MEANINGS: Readonly<Record<string, string>> = {
  hasContractNo: 'the signing carries a non-blank contract number.',
  claimFits:
    "the task line exists and is working; the claim names at least one village, each once, each with an area above 0, and their total is at most the line's assigned area.",
  verificationFits:
    "the village part exists and is verifying (no notice running on it); the verified area is between 0 and the part's claimed area.",
  noticeTakesObjection:
    'the notice exists (the current notice of a village part, or the media notice) and has not cleared (its 7 days are not over, or an objection on it is still open).',
  objectionIsOpen:
    'the notice has an open objection (which one is open is checked on the objection row, under the contract lock, before the event is sent: OBJECTION_ALREADY_RESOLVED).',
  mediaObjectionUpheld: "the resolution upholds an open objection on the contract's media notice.",
  noticeRunning:
    "the notice exists and has not elapsed yet, and the event's `at` is at or after its end (opened + 7 × 24 h).",
  acceptanceFits:
    "the task line is in town acceptance and the record names as many villages as the line has village parts, each one of its parts, each with an accepted area between 0 and that part's verified area.",
  inTownAcceptance: 'the task line is in town acceptance.',
  notYetClaimed:
    'the task line is pending or working (not claimed yet), and another task line that is not withdrawn remains.',
  allTaskLinesDone:
    'every task line is accepted or withdrawn, and at least one is accepted (eventless: checked after every event).',
  approvalFits:
    'no approval yet from this bureau nor by this person; the first approval fixes the audited areas: each accepted line keeps its accepted area (with a fully visited audit sample: the most its visits support) unless the approval lowers it (0 ≤ audited ≤ accepted and ≤ that maximum, accepted lines only); under a policy with an audit sample, not before the sample is drawn and fully visited; the second approval confirms and carries no areas.',
  sampleFits: 'the contract has no audit sample yet (one per contract, ever).',
  visitFits:
    "the row is in the contract's audit sample and not visited yet; the observed area is between 0 and the row's verified area; the visit is not dated before the contract was signed.",
  bothBureausApproved:
    'the agriculture committee and the finance bureau have both approved (eventless); the subsidy is then computed per line as round half up(audited area × unit price).',
  mediaNoticeCleared:
    "the media notice's 7 days are over and no objection on it is open (eventless).",
  payoutFits:
    "not issued by the audit's finance approver, to a provider eligible today (blacklist; the directory where the pinned policy requires it), for exactly the contract's subsidy, which is above 0.",
  isCurrentPayout: 'the event names the payout that is currently issued.',
  hasReason: 'the termination carries a non-blank reason.',
};

/** One transition of the machine, as the page shows it. */
interface Edge {
  from: string;
  /** The target state; the source state itself for a targetless (self-loop) transition. */
  to: string;
  /** The event type, or null for an eventless (`always`) transition. */
  event: string | null;
  guard: string | null;
}

interface NodeLike {
  key: string;
  type: string;
  states: Record<string, NodeLike>;
  transitions: Map<string, TransitionLike[]>;
  always?: TransitionLike[];
}

interface TransitionLike {
  target: ReadonlyArray<{ key: string }> | undefined;
  guard?: unknown;
}

/** XState v5 keeps a transition's `guard` as configured: a name, `{ type }`, or a function. */
export function guardName(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') return guard.name === '' ? 'inline guard' : guard.name;
  if (typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string') {
    return guard.type;
  }
  return 'inline guard';
}

function edgesOf(node: NodeLike): Edge[] {
  const edge = (event: string | null, transition: TransitionLike): Edge[] => {
    const targets = transition.target?.length ? transition.target.map((t) => t.key) : [node.key];
    return targets.map((to) => ({
      from: node.key,
      to,
      event,
      guard: guardName(transition.guard),
    }));
  };
  return [
    ...(node.always ?? []).flatMap((transition) => edge(null, transition)),
    ...[...node.transitions.entries()].flatMap(([event, transitions]) =>
      transitions.flatMap((transition) => edge(event, transition)),
    ),
  ];
}

function machineStates(): NodeLike[] {
  const root = contractMachine.root as unknown as NodeLike;
  return Object.values(root.states).map((node) => {
    if (Object.keys(node.states).length > 0) {
      throw new Error(`State ${node.key} has child states; the page shows a flat machine only`);
    }
    return node;
  });
}

const distinct = <T>(values: T[]): T[] => [...new Set(values)];

/** A table cell: pipes would end the cell. */
const cell = (text: string): string => text.replace(/\|/g, '\\|');

const code = (text: string): string => `\`${text}\``;

function label(edge: Edge): string {
  const event = edge.event ?? 'always';
  return edge.guard ? `${event} [${edge.guard}]` : event;
}

export function renderLifecycleDoc(): string {
  const states = machineStates();
  const edges = states.flatMap(edgesOf);
  const initial = (contractMachine.root.config.initial as string | undefined) ?? states[0].key;

  const machineEvents = distinct(edges.flatMap((edge) => (edge.event ? [edge.event] : [])));
  const documented = Object.keys(EVENT_SENDERS);
  const unknownSenders = machineEvents.filter((event) => !documented.includes(event));
  if (unknownSenders.length > 0) {
    throw new Error(`No sender documented for event(s): ${unknownSenders.join(', ')}`);
  }
  const unused = documented.filter((event) => !machineEvents.includes(event));
  if (unused.length > 0) {
    throw new Error(`Event(s) with no transition in the machine: ${unused.join(', ')}`);
  }
  const guards = distinct(edges.flatMap((edge) => (edge.guard ? [edge.guard] : [])));
  const unexplained = guards.filter((guard) => !Object.hasOwn(GUARD_MEANINGS, guard));
  if (unexplained.length > 0) {
    throw new Error(`No meaning written for guard(s): ${unexplained.join(', ')}`);
  }

  const lines: string[] = [];
  lines.push('# Contract lifecycle', '');
  lines.push(
    'This file is generated by `npm run docs:lifecycle` from the machine definition in ' +
      '`src/modules/contracts/machine/contract.machine.ts` (by `renderLifecycleDoc()` in ' +
      '`lifecycle-doc.ts`). Do not edit it by hand: change the machine and run the script again; ' +
      'a unit test fails when this page and the machine disagree.',
    '',
  );

  lines.push('## States and transitions', '');
  lines.push('```mermaid', 'stateDiagram-v2');
  lines.push(`    [*] --> ${initial}`);
  for (const state of states) lines.push(`    state ${state.key}`);
  for (const edge of edges) lines.push(`    ${edge.from} --> ${edge.to} : ${label(edge)}`);
  for (const state of states.filter((node) => node.type === 'final')) {
    lines.push(`    ${state.key} --> [*]`);
  }
  lines.push('```', '');
  lines.push(
    `States: ${states.map((state) => code(state.key)).join(', ')}. ` +
      `Final: ${states
        .filter((state) => state.type === 'final')
        .map((state) => code(state.key))
        .join(', ')}. ` +
      'A transition without a target keeps the contract in its state (shown as a self-loop): it ' +
      'only changes the context (task lines, village parts, notices). `always` marks an eventless transition, taken as soon as its guard holds after an event.',
    '',
  );

  lines.push('## Events', '');
  lines.push('| event | from state(s) | to | guard(s) | who sends it |');
  lines.push('|---|---|---|---|---|');
  for (const event of documented) {
    const own = edges.filter((edge) => edge.event === event);
    const from = distinct(own.map((edge) => edge.from));
    const to = distinct(
      own.map((edge) => (edge.to === edge.from ? `${edge.to} (stays)` : edge.to)),
    );
    const eventGuards = distinct(own.map((edge) => edge.guard ?? '—'));
    lines.push(
      `| ${[
        code(event),
        from.join(', '),
        to.join(', '),
        eventGuards.join(', '),
        EVENT_SENDERS[event as ContractEventType],
      ]
        .map(cell)
        .join(' | ')} |`,
    );
  }
  lines.push('');

  lines.push('Eventless transitions (no one sends them; the machine takes them itself):', '');
  lines.push('| from | to | guard |');
  lines.push('|---|---|---|');
  for (const edge of edges.filter((candidate) => candidate.event === null)) {
    lines.push(`| ${[edge.from, edge.to, edge.guard ?? '—'].map(cell).join(' | ')} |`);
  }
  lines.push('');

  lines.push('## Guards', '');
  lines.push(
    'An event whose guard does not hold, or that its state does not take, is refused: the ' +
      'contract and its context stay as they were.',
    '',
  );
  for (const guard of guards) lines.push(`- ${code(guard)}: ${GUARD_MEANINGS[guard]}`);
  lines.push('');

  lines.push('## Snapshot versions', '');
  lines.push(
    'Each contract row stores `machine_version` with its snapshot (`{value, context}`). When a ' +
      'change to the machine makes stored snapshots unfit, raise `MACHINE_VERSION` in ' +
      '`contract.machine.ts` and add a migration step in `snapshot-migrations.ts`: a function ' +
      'from version N to N + 1 over `{value, context}`. Contracts are migrated when they are next ' +
      "loaded, inside the command's transaction. Version 0 is a contract created before the " +
      'machine existed (no snapshot): it is rebuilt from its row and task lines. Version 1 kept ' +
      "the ids of a notice's open objections in `openObjections`; version 2 keeps their number " +
      '(the objection rows say which), so that a flood of objections cannot grow the snapshot.',
    '',
  );

  return lines.join('\n');
}
