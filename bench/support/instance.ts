/**
 * One app process for the benchmarks (bench/support/app.ts `startInstance` forks it): the real
 * app (`startTestApp`) with the configuration in BENCH_APP_CONFIG (JSON, with `databaseUrl`), on
 * 127.0.0.1 and a free port. Tells its parent `{port}` when it listens; closes on the message
 * `stop` or when the parent goes away.
 */
import type { AddressInfo } from 'node:net';

async function serve(): Promise<void> {
  const config = process.env.BENCH_APP_CONFIG;
  if (!config || !process.send)
    throw new Error('bench/support/instance: fork me with BENCH_APP_CONFIG (app.ts startInstance)');
  const { startTestApp } = await import('../../test/support/test-app.js');
  const test = await startTestApp(JSON.parse(config) as Parameters<typeof startTestApp>[0]);
  await test.app.listen(0, '127.0.0.1');
  const { port } = test.app.getHttpServer().address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= test
      .close()
      .catch((error: unknown) => console.error(error))
      .finally(() => process.exit(0)));
  process.on('message', (message) => {
    if (message === 'stop') void close();
  });
  process.on('disconnect', () => void close());
  process.send({ port });
}

serve().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
