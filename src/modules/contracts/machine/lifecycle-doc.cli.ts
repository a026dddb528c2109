import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderLifecycleDoc } from './lifecycle-doc';

/**
 * `npm run docs:lifecycle`: writes docs/lifecycle.md from the machine. Runs from the source
 * (src/modules/contracts/machine) or compiled (dist/src/modules/contracts/machine); the repository
 * root is the nearest folder above with a package.json.
 */
export function repoRoot(start: string = __dirname): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json in ${start} or above`);
    dir = parent;
  }
  return dir;
}

export function lifecycleDocPath(): string {
  return join(repoRoot(), 'docs', 'lifecycle.md');
}

export function writeLifecycleDoc(): string {
  const target = lifecycleDocPath();
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, renderLifecycleDoc(), 'utf8');
  return target;
}

if (require.main === module) {
  try {
    process.stdout.write(`Wrote ${writeLifecycleDoc()}\n`);
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
}
