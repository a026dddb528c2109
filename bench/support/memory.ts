/**
 * Memory for the benchmarks: the process's peak RSS during a piece of work, from a sampler in a
 * worker thread (every 50 ms) and the kernel's high-water mark (VmHWM, reset before), whichever
 * is higher. Linux /proc; NaN where it is not there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { runInWorker } from './load';
import { collectGarbage } from './stats';

/** Resets the kernel's peak-RSS counter (VmHWM) of this process; false where not allowed. */
export function resetPeakRss(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** The kernel's peak RSS of this process (bytes) since the last reset. */
export function kernelPeakRss(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

export interface PeakRss {
  /** RSS (bytes) when the work started. */
  before: number;
  /** The higher of the sampler's peak and the kernel's high-water mark (bytes). */
  peak: number;
  /** The sampler's peak alone, and how many samples it took. */
  sampled: number;
  samples: number;
  /** The kernel's high-water mark (NaN where it cannot be reset). */
  kernel: number;
}

export interface RssSampler {
  /** Runs `work`, measuring the process's peak RSS meanwhile. */
  during: <T>(work: () => Promise<T>) => Promise<{ result: T; rss: PeakRss }>;
  terminate: () => Promise<number>;
}

export function startRssSampler(sampleMs = 50): RssSampler {
  const worker = new Worker(path.join(__dirname, 'rss-sampler.js'), { workerData: { sampleMs } });
  return {
    during: async (work) => {
      const canReset = resetPeakRss();
      const before = process.memoryUsage.rss();
      await runInWorker(worker, 'start');
      let stopped: { peak: number; samples: number } | undefined;
      try {
        const result = await work();
        stopped = await runInWorker<string, { peak: number; samples: number }>(worker, 'stop');
        const kernel = canReset ? kernelPeakRss() : NaN;
        const peak = Math.max(stopped.peak, Number.isFinite(kernel) ? kernel : 0);
        return {
          result,
          rss: { before, peak, sampled: stopped.peak, samples: stopped.samples, kernel },
        };
      } finally {
        if (!stopped) await runInWorker(worker, 'stop');
      }
    },
    terminate: () => worker.terminate(),
  };
}

/** MB, all of them. */
export interface MemoryGrowth {
  rssBefore: number;
  heapBefore: number;
  /** max(sampler, kernel high-water mark) − RSS before. */
  rssGrowth: number;
  heapGrowth: number;
  /** Buffers and other memory outside the heap (`external`, which includes `arrayBuffers`). */
  externalGrowth: number;
}

export interface MemorySampler {
  /**
   * Runs `work` after `gc()` (when exposed), measuring the growth of the RSS (as `during`) and of
   * the heap and external memory (sampled on the main thread every 50 ms). `live`: every heap
   * sample runs a full `gc()` first, so the heap figure is what the work still holds, not
   * garbage V8 has yet to collect; it slows the work down (a run of its own, not a timed one).
   */
  measure<T>(
    work: () => Promise<T>,
    options?: { live?: boolean },
  ): Promise<{ result: T; memory: MemoryGrowth }>;
  close(): Promise<void>;
}

const MB = 1024 * 1024;

export function memorySampler(): MemorySampler {
  const rss = startRssSampler();
  return {
    async measure(work, { live = false } = {}) {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (live && !gc) throw new Error('memorySampler: live heap figures need --expose-gc');
      await collectGarbage();
      const before = process.memoryUsage();
      let heapPeak = before.heapUsed;
      let externalPeak = before.external;
      const sample = () => {
        if (live) gc?.();
        const now = process.memoryUsage();
        heapPeak = Math.max(heapPeak, now.heapUsed);
        externalPeak = Math.max(externalPeak, now.external);
      };
      const timer = setInterval(sample, live ? 250 : 50);
      let measured;
      try {
        measured = await rss.during(work);
      } finally {
        clearInterval(timer);
      }
      sample();
      return {
        result: measured.result,
        memory: {
          rssBefore: measured.rss.before / MB,
          heapBefore: before.heapUsed / MB,
          rssGrowth: (measured.rss.peak - measured.rss.before) / MB,
          heapGrowth: (heapPeak - before.heapUsed) / MB,
          externalGrowth: (externalPeak - before.external) / MB,
        },
      };
    },
    close: () => rss.terminate().then(() => undefined),
  };
}
