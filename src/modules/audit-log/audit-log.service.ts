import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, MoreThanOrEqual, type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { notFound } from '../../common/errors/domain-error';
import type { Statement } from '../../database/statement';
import type { Actor } from '../auth/actor';
import { ADMIN_CHAIN, GENESIS_HASH, eventBodySha256, eventHash } from './audit-chain';
import { AuditEvent } from './audit-event.entity';

export {
  ADMIN_CHAIN,
  GENESIS_HASH,
  districtChain,
  eventBodySha256,
  eventHash,
} from './audit-chain';

export interface AuditEntry {
  /** `admin`, or the district's code (`districtChain`) of the object the event is about. */
  chain: string;
  actor: { id: string | null; username: string } | Pick<Actor, 'id' | 'username'> | null;
  action: string;
  entityType: string;
  entityId: string;
  data: Record<string, unknown>;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

export interface ChainState {
  chain: string;
  ok: boolean;
  events: number;
  /** The chain's last linked row; null for a chain without events. */
  head: ChainHead | null;
  firstBrokenAt?: number;
}

export interface ChainReport {
  ok: boolean;
  events: number;
  /** seq of the first event that does not fit, in the first broken chain (`firstBrokenChain`). */
  firstBrokenAt?: number;
  firstBrokenChain?: string;
  chains: ChainState[];
}

export interface HeadsSnapshot {
  at: string;
  heads: (ChainHead & { chain: string })[];
}

export interface KeptHeadState {
  chain: string;
  ok: boolean;
  /** `truncated`: the chain ends before the kept head; `differs`: another row stands there. */
  problem?: 'broken' | 'truncated' | 'differs';
  kept: ChainHead;
  head: ChainHead | null;
  firstBrokenAt?: number;
}

export interface HeadsReport {
  ok: boolean;
  chains: KeptHeadState[];
}

const PAGE = 1000;

@Injectable()
export class AuditLogService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Appends inside the caller's transaction: the change and its audit row commit together. The
   * row is linked into its chain when that transaction commits (trigger `audit_event_link`), so
   * concurrent commands never wait on each other here.
   */
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('AuditLogService.record must run inside a transaction');
    }
    const insert = this.insert(entry);
    await manager.query(insert.sql, insert.params);
  }

  /**
   * The INSERT of an entry's row, for a caller that runs it in one statement with its other
   * writes (the contract workflow). The chain columns are set at COMMIT. `data` must be plain JSON.
   */
  insert(entry: AuditEntry): Statement {
    const event = {
      at: this.clock.now(),
      actorId: entry.actor?.id ?? null,
      actorUsername: entry.actor?.username ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      data: JSON.parse(JSON.stringify(entry.data)) as Record<string, unknown>,
    };
    return {
      sql: `INSERT INTO audit_event (chain, at, actor_id, actor_username, action, entity_type, entity_id, data, body_sha256)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)`,
      params: [
        entry.chain,
        event.at,
        event.actorId,
        event.actorUsername,
        event.action,
        event.entityType,
        event.entityId,
        JSON.stringify(event.data),
        eventBodySha256(event),
      ],
    };
  }

  /**
   * Walks every chain the actor may see (or the one asked for); reports per chain the first
   * row whose link or content is wrong. An administrator sees every chain, an observer its
   * district's and the administrative one (hashes and counts only, no content).
   */
  async verify(actor: Actor | null = null, only?: string): Promise<ChainReport> {
    const chains = await this.chainsFor(actor, only);
    const states: ChainState[] = [];
    for (const chain of chains) states.push(await this.verifyChain(chain));
    const broken = states.find((state) => !state.ok);
    return {
      ok: broken === undefined,
      events: states.reduce((sum, state) => sum + state.events, 0),
      ...(broken ? { firstBrokenAt: broken.firstBrokenAt, firstBrokenChain: broken.chain } : {}),
      chains: states,
    };
  }

  /** The head of every chain the actor may see, read in one statement: a snapshot to keep. */
  async heads(actor: Actor | null = null): Promise<HeadsSnapshot> {
    const visible = actor && actor.role !== 'admin' ? this.visibleChains(actor) : null;
    const rows = await this.dataSource.query<{ chain: string; seq: string; hash: string }[]>(
      // A loose index scan over audit_event_chain_seq_idx: one probe per chain, not per row.
      `WITH RECURSIVE chains(chain) AS (
         SELECT min(chain) FROM audit_event WHERE seq IS NOT NULL
         UNION ALL
         SELECT (SELECT min(chain) FROM audit_event WHERE seq IS NOT NULL AND chain > c.chain)
           FROM chains c WHERE c.chain IS NOT NULL)
       SELECT c.chain, h.seq, h.hash
         FROM chains c
         CROSS JOIN LATERAL (SELECT seq, hash FROM audit_event
                              WHERE chain = c.chain AND seq IS NOT NULL
                              ORDER BY seq DESC LIMIT 1) h
        WHERE c.chain IS NOT NULL AND ($1::text[] IS NULL OR c.chain = ANY($1::text[]))
        ORDER BY c.chain`,
      [visible],
    );
    return {
      at: this.clock.now().toISOString(),
      heads: rows.map((row) => ({ chain: row.chain, seq: Number(row.seq), hash: row.hash })),
    };
  }

  /**
   * Checks a kept snapshot of heads against the chains as they are: each chain must verify and
   * still hold the kept head (a printed document's 16-hex prefix will do) at its seq. A chain
   * cut shorter is found at the first missing seq; one re-linked over it at the kept seq.
   */
  async verifyHeads(actor: Actor | null, kept: HeadsSnapshot['heads']): Promise<HeadsReport> {
    const states: KeptHeadState[] = [];
    for (const head of kept) {
      if (actor && actor.role !== 'admin' && !this.visibleChains(actor).includes(head.chain)) {
        throw notFound('Audit chain', head.chain);
      }
      const state = await this.verifyChain(head.chain);
      const keptHead = { seq: head.seq, hash: head.hash };
      const base = { chain: head.chain, kept: keptHead, head: state.head };
      if (!state.ok && (state.firstBrokenAt ?? 0) <= head.seq) {
        states.push({ ...base, ok: false, problem: 'broken', firstBrokenAt: state.firstBrokenAt });
        continue;
      }
      const [row] = await this.dataSource.query<{ hash: string }[]>(
        `SELECT hash FROM audit_event WHERE chain = $1 AND seq = $2`,
        [head.chain, head.seq],
      );
      if (!row) {
        const firstBrokenAt = (state.head?.seq ?? 0) + 1;
        states.push({ ...base, ok: false, problem: 'truncated', firstBrokenAt });
      } else if (!row.hash.startsWith(head.hash)) {
        states.push({ ...base, ok: false, problem: 'differs', firstBrokenAt: head.seq });
      } else if (!state.ok) {
        states.push({ ...base, ok: false, problem: 'broken', firstBrokenAt: state.firstBrokenAt });
      } else {
        states.push({ ...base, ok: true });
      }
    }
    return { ok: states.every((state) => state.ok), chains: states };
  }

  /**
   * The head of a contract's district chain now (for the footer of a document issued now), or
   * null before the chain's first event.
   */
  async contractChainHead(
    contractId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<(ChainHead & { chain: string }) | null> {
    const [row] = await manager.query<{ chain: string; seq: string | null; hash: string | null }[]>(
      `SELECT c.district_code AS chain, h.seq, h.hash
         FROM contract c
         LEFT JOIN LATERAL (SELECT seq, hash FROM audit_event
                             WHERE chain = c.district_code AND seq IS NOT NULL
                             ORDER BY seq DESC LIMIT 1) h ON true
        WHERE c.id = $1`,
      [contractId],
    );
    if (!row || row.seq === null || row.hash === null) return null;
    return { chain: row.chain, seq: Number(row.seq), hash: row.hash };
  }

  /** The chains an observer may verify: its district's and the administrative one. */
  private visibleChains(actor: Actor): string[] {
    if (actor.role === 'admin') return [];
    return [actor.districtCode, ADMIN_CHAIN].filter((chain): chain is string => chain !== null);
  }

  private async chainsFor(actor: Actor | null, only?: string): Promise<string[]> {
    const everything = actor === null || actor.role === 'admin';
    if (only !== undefined) {
      if (!everything && !this.visibleChains(actor).includes(only)) {
        throw notFound('Audit chain', only);
      }
      return [only];
    }
    if (!everything) return this.visibleChains(actor).sort();
    // Every chain with a row, linked or not (a row written around the trigger has no seq).
    const rows = await this.dataSource.query<{ chain: string }[]>(
      `SELECT DISTINCT chain FROM audit_event ORDER BY chain`,
    );
    return rows.map((row) => row.chain);
  }

  /** Walks one chain in pages; the first row whose seq, link or content is wrong breaks it. */
  private async verifyChain(chain: string): Promise<ChainState> {
    const repository = this.dataSource.getRepository(AuditEvent);
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let events = 0;
    let head: ChainHead | null = null;
    let firstBrokenAt: number | undefined;
    for (;;) {
      const page = await repository.find({
        where: { chain, seq: MoreThanOrEqual(expectedSeq) },
        order: { seq: 'ASC' },
        take: PAGE,
      });
      for (const row of page) {
        if (
          firstBrokenAt === undefined &&
          (row.seq !== expectedSeq ||
            row.prevHash !== prevHash ||
            row.bodySha256 !== eventBodySha256(row) ||
            row.hash !== eventHash(prevHash, expectedSeq, row.bodySha256))
        ) {
          firstBrokenAt = row.seq ?? expectedSeq;
        }
        // Past a break, only the head is still read (to show where the chain ends).
        head = { seq: row.seq as number, hash: row.hash as string };
        prevHash = row.hash as string;
        expectedSeq = (row.seq as number) + 1;
        if (firstBrokenAt === undefined) events += 1;
      }
      if (page.length < PAGE) break;
    }
    if (firstBrokenAt === undefined) {
      // Committed rows are linked at COMMIT; one without a link was written around the trigger.
      const unlinked = await repository.existsBy({ chain, seq: IsNull() });
      if (unlinked) firstBrokenAt = expectedSeq;
    }
    return firstBrokenAt === undefined
      ? { chain, ok: true, events, head }
      : { chain, ok: false, events, head, firstBrokenAt };
  }
}
