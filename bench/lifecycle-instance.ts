/**
 * One app process for the full-lifecycle benchmark (bench/lifecycle-full.ts forks it): the real
 * app (`startTestApp`, test clock on) on the benchmark's database and JWT secret, on 127.0.0.1
 * and a free port. Tells its parent `{port}` when it listens; closes on the message `stop` or
 * when the parent goes away.
 */
import type { AddressInfo } from 'node:net';

async function serve(): Promise<void> {
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  const jwtSecret = process.env.BENCH_JWT_SECRET;
  if (!databaseUrl || !jwtSecret || !process.send)
    throw new Error('lifecycle-instance: fork me with BENCH_DATABASE_URL and BENCH_JWT_SECRET');
  const { startTestApp } = await import('../test/support/test-app.js');
  const test = await startTestApp({
    databaseUrl,
    jwtSecret,
    testClock: true,
    rateLimits: {
      // The benchmark's whole load comes from one address: above the public limits, on purpose.
      loginFailuresPerUsername: 10,
      loginFailuresPerClient: 50,
      objectionsPerClient: Number.MAX_SAFE_INTEGER,
      objectionsPerNotice: Number.MAX_SAFE_INTEGER,
    },
  });
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
