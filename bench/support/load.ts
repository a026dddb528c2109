/**
 * Closed-loop load for the benchmarks: `clients` concurrent clients, each sending its next
 * request as soon as its last one answered, for a warm-up and then a measured window. Meant to
 * run in a worker thread of the benchmark (its own event loop, so that building requests and
 * parsing answers does not queue behind the app's work): the benchmark's file serves phases with
 * `servePhases` in the worker and asks for them with `runInWorker` from the main thread.
 * Node built-ins only.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, type Worker } from 'node:worker_threads';
import type { Answer } from './http';
import { percentile } from './stats';

export interface LoadWindow {
  clients: number;
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  /** Requests completed inside the measured window. */
  requests: number;
  /** Of those, answers that are not 2xx, or failed requests. */
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  /** Every answer of the phase (warm-up and tail included), by status; 0 = network error. */
  statuses: Record<string, number>;
  errorSamples: string[];
}

/** Runs `clients` closed loops of `send(client, turn, agent)` over the window. */
export async function closedLoop(
  window: LoadWindow,
  send: (client: number, turn: number, agent: http.Agent) => Promise<Answer>,
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const errorSamples: string[] = [];
  let errors = 0;
  const measureFrom = performance.now() + window.warmupMs;
  const measureTo = measureFrom + window.durationMs;
  const client = async (index: number): Promise<void> => {
    for (let turn = 0; performance.now() < measureTo; turn++) {
      const sent = performance.now();
      const answer = await send(index, turn, agent);
      const done = performance.now();
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      const ok = answer.status >= 200 && answer.status < 300;
      if (!ok && errorSamples.length < 5)
        errorSamples.push(`${answer.status} ${answer.body.slice(0, 300)}`);
      if (sent >= measureFrom && done <= measureTo) {
        latencies.push(done - sent);
        if (!ok) errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: window.clients }, (_, index) => client(index)));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const seconds = window.durationMs / 1000;
  return {
    requests: latencies.length,
    errors,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies[latencies.length - 1] ?? NaN,
    statuses,
    errorSamples,
  };
}

/** In a worker thread: answers every message (a phase's spec) with `run(spec)`. */
export function servePhases<Spec, Result>(run: (spec: Spec) => Promise<Result>): void {
  if (isMainThread || !parentPort) return;
  const port = parentPort;
  port.on('message', (spec: Spec) => {
    void run(spec).then((result) => port.postMessage(result));
  });
}

/** From the main thread: one phase in the worker, its answer. */
export function runInWorker<Spec, Result>(worker: Worker, spec: Spec): Promise<Result> {
  return new Promise<Result>((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    worker.once('message', (result: Result) => {
      worker.off('error', failed);
      resolve(result);
    });
    worker.once('error', failed);
    worker.postMessage(spec);
  });
}

/** Total answers of a phase, warm-up and tail included. */
export const answers = (result: Pick<LoadResult, 'statuses'>): number =>
  Object.values(result.statuses).reduce((sum, count) => sum + count, 0);
