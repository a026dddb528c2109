/**
 * Small helpers shared by the lifecycle benchmarks: statistics, formatting and CPU time read
 * from /proc. Node built-ins only, so that a load generator thread can load it cheaply.
 */
import fs from 'node:fs';
import path from 'node:path';

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

/** Awaits a supertest request; anything but `status` throws with the problem body. */
export async function expectStatus(
  what: string,
  request: PromiseLike<{ status: number; body: any }>,
  status = 200,
): Promise<{ status: number; body: any }> {
  const response = await request;
  if (response.status !== status)
    throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response;
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
