/**
 * Memory growth of this process while something runs (`memorySampler().measure`): the RSS
 * sampled every 50 ms from a worker thread (not blocked while the main thread parses or draws)
 * plus the kernel's high-water mark (VmHWM, reset before), and the heap and external memory
 * sampled on the main thread; growth = peak − the reading just before, after `gc()` when exposed.
 * Node built-ins only.
 */
import fs from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { collectGarbage } from './stats';

const SAMPLE_MS = 50;
const MB = 1024 * 1024;
const ROLE = 'bench-rss-sampler';

if (!isMainThread && parentPort && (workerData as { role?: string } | null)?.role === ROLE) {
  const port = parentPort;
  let timer: NodeJS.Timeout | undefined;
  let peak = 0;
  port.on('message', (message: 'start' | 'stop') => {
    if (message === 'start') {
      peak = process.memoryUsage.rss();
      timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), SAMPLE_MS);
    } else {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
    }
    port.postMessage({ peak });
  });
}

/** MB, all of them. */
export interface MemoryGrowth {
  rssBefore: number;
  heapBefore: number;
  /** max(sampler, kernel high-water mark) − RSS before. */
  rssGrowth: number;
  heapGrowth: number;
  /** Buffers and other memory outside the heap (`external` + `arrayBuffers`). */
  externalGrowth: number;
  samplerPeak: number;
  /** NaN where /proc/self/clear_refs may not be written. */
  kernelPeak: number;
}

/** Resets the kernel's peak-RSS counter (VmHWM) of this process; false where not allowed. */
function resetPeakRss(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function kernelPeakRss(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

export interface MemorySampler {
  /**
   * `live`: every sample of the main thread runs a full `gc()` first, so the heap figures are
   * what is still reachable (what the work holds), not garbage V8 has yet to collect. It slows
   * the work down: for a run of its own, not a timed one.
   */
  measure<T>(
    work: () => Promise<T>,
    options?: { live?: boolean },
  ): Promise<{ result: T; memory: MemoryGrowth }>;
  close(): Promise<void>;
}

export function memorySampler(): MemorySampler {
  const worker = new Worker(__filename, { workerData: { role: ROLE } });
  const call = (message: 'start' | 'stop') =>
    new Promise<number>((resolve, reject) => {
      worker.once('message', ({ peak }: { peak: number }) => {
        worker.off('error', reject);
        resolve(peak);
      });
      worker.once('error', reject);
      worker.postMessage(message);
    });
  return {
    async measure(work, { live = false } = {}) {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (live && !gc) throw new Error('memorySampler: live heap figures need --expose-gc');
      await collectGarbage();
      const canReset = resetPeakRss();
      const before = process.memoryUsage();
      let heapPeak = before.heapUsed;
      let externalPeak = before.external + before.arrayBuffers;
      const sample = () => {
        if (live) gc?.();
        const now = process.memoryUsage();
        heapPeak = Math.max(heapPeak, now.heapUsed);
        externalPeak = Math.max(externalPeak, now.external + now.arrayBuffers);
      };
      const timer = setInterval(sample, live ? 5 * SAMPLE_MS : SAMPLE_MS);
      await call('start');
      let result: Awaited<ReturnType<typeof work>>;
      try {
        result = await work();
      } finally {
        clearInterval(timer);
      }
      const samplerPeak = await call('stop');
      sample();
      const kernelPeak = canReset ? kernelPeakRss() : NaN;
      const peakRss = Math.max(samplerPeak, Number.isFinite(kernelPeak) ? kernelPeak : 0);
      return {
        result,
        memory: {
          rssBefore: before.rss / MB,
          heapBefore: before.heapUsed / MB,
          rssGrowth: (peakRss - before.rss) / MB,
          heapGrowth: (heapPeak - before.heapUsed) / MB,
          externalGrowth: (externalPeak - before.external - before.arrayBuffers) / MB,
          samplerPeak: samplerPeak / MB,
          kernelPeak: kernelPeak / MB,
        },
      };
    },
    close: () => worker.terminate().then(() => undefined),
  };
}
