/**
 * The RSS sampler's worker thread (bench/support/memory.ts starts it): samples the process's
 * resident set every `sampleMs` between the messages `start` and `stop`, and answers `stop`
 * with the peak and the number of samples. A worker, so that it is not blocked while the app
 * works synchronously on the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';

const port = parentPort;
const sampleMs = (workerData as { sampleMs?: number } | null)?.sampleMs ?? 50;
let timer: NodeJS.Timeout | undefined;
let peak = 0;
let samples = 0;
port?.on('message', (message: 'start' | 'stop') => {
  if (message === 'start') {
    peak = process.memoryUsage.rss();
    samples = 1;
    timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
      samples += 1;
    }, sampleMs);
    port.postMessage({ started: true });
  } else {
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage.rss());
    samples += 1;
    port.postMessage({ peak, samples });
  }
});
