/**
 * Statistics, formatting, CPU time read from /proc and the report's common lines, for every
 * benchmark. Node built-ins only, so that a load generator thread can load it cheaply.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const fmt = (value: number, digits = 1): string =>
  Number.isFinite(value) ? value.toFixed(digits) : '-';

/** A whole number with thousands separators. */
export const int = (value: number): string =>
  Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '-';

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Two full collections when the process runs with --expose-gc; nothing otherwise. */
export async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  gc();
  await sleep(50);
  gc();
}

export function log(message: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime (ms) of one process from /proc; NaN where unavailable or gone. */
export function processCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": state ppid ... utime (14th field) stime (15th).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/**
 * CPU time (ms) of the postmaster and its children so far, live and exited, from /proc; NaN where
 * unavailable.
 */
export function postgresCpuMs(dataDir: string): number {
  try {
    const postmaster = Number(
      fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    let ticks = 0;
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue; // exited meanwhile
      }
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(entry) === postmaster) {
        // cutime + cstime: the backends that have exited (reaped by the postmaster), so that a
        // connection closing between two readings does not take its CPU time with it.
        ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      } else if (Number(fields[1]) === postmaster) {
        ticks += Number(fields[11]) + Number(fields[12]);
      }
    }
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** The whole machine's CPU time so far (ms, all cores), from the first line of /proc/stat. */
export function machineCpuMs(): { busy: number; steal: number } {
  try {
    const [user, nice, system, , , irq, softirq, steal] = fs
      .readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]
      .trim()
      .split(/\s+/)
      .slice(1, 9)
      .map(Number);
    const toMs = (ticks: number): number => (ticks * 1000) / TICKS_PER_SECOND;
    return { busy: toMs(user + nice + system + irq + softirq), steal: toMs(steal) };
  } catch {
    return { busy: NaN, steal: NaN };
  }
}

/** The report's last line: CPU model, cores, load (and whatever the bench adds). */
export function machineLine(extra = ''): string {
  const cpus = os.cpus();
  const load = os
    .loadavg()
    .map((value) => fmt(value, 2))
    .join(' ');
  return `machine: ${cpus[0]?.model ?? '?'}, ${cpus.length} cores, ${fmt(os.totalmem() / 2 ** 30)} GiB, load ${load}; node ${process.version}${extra ? `; ${extra}` : ''}`;
}

/** Prints rows as columns: the first `left` columns padded to the right, the others to the left. */
export function printTable(rows: string[][], left = rows[0]?.length ?? 0): void {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows)
    console.log(
      row
        .map((cell, column) =>
          column < left ? cell.padEnd(widths[column]) : cell.padStart(widths[column]),
        )
        .join('  '),
    );
}

export interface CpuReading {
  wallMs: number;
  /** This process (all its threads). */
  nodeMs: number;
  /** PostgreSQL's processes, live and exited (NaN where /proc is not there). */
  postgresMs: number;
}

/** Starts measuring wall time, this process's and PostgreSQL's CPU; `stop` reads them. */
export function cpuMeter(pgDataDir: string): { stop: () => CpuReading } {
  const started = performance.now();
  const node = process.cpuUsage();
  const postgres = postgresCpuMs(pgDataDir);
  return {
    stop: () => {
      const usage = process.cpuUsage(node);
      return {
        wallMs: performance.now() - started,
        nodeMs: (usage.user + usage.system) / 1000,
        postgresMs: postgresCpuMs(pgDataDir) - postgres,
      };
    },
  };
}
