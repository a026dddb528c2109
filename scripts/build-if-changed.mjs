/**
 * `npm start` builds only when the app's sources changed since the last build.
 *
 * The digest covers every file the build reads: src/ and migrations/ (TypeScript and assets
 * such as the board's .eta views), the tsconfig and nest-cli files, and package-lock.json (the
 * installed versions). It is written to dist/.build-digest after a successful `npm run build`.
 * The next start compares it with the digest of the files as they are now and builds again
 * when anything differs (a file changed, added, removed or renamed) or when dist/src/main.js is
 * missing. The digest is taken before the build, so an edit made while it runs rebuilds next time.
 *
 *   node scripts/build-if-changed.mjs [root]     (the first step of npm start; root: this repo)
 */
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const INPUT_DIRS = ['src', 'migrations'];
const INPUT_FILES = ['tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package-lock.json'];
const STAMP = path.join('dist', '.build-digest');
const OUTPUT = path.join('dist', 'src', 'main.js');

/** Every file under `dir`, as sorted paths relative to `root`. */
function filesUnder(root, dir) {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** sha256 over the names and contents of the build's inputs. */
export function sourceDigest(root) {
  const hash = createHash('sha256');
  for (const file of [...INPUT_DIRS.flatMap((dir) => filesUnder(root, dir)), ...INPUT_FILES]) {
    const full = path.join(root, file);
    hash.update(`${file.split(path.sep).join('/')}\0`);
    hash.update(fs.existsSync(full) ? fs.readFileSync(full) : '(missing)');
    hash.update('\0');
  }
  return hash.digest('hex');
}

const root = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..'));
const started = Date.now();
const digest = sourceDigest(root);
const stamp = path.join(root, STAMP);
const upToDate =
  fs.existsSync(path.join(root, OUTPUT)) &&
  fs.existsSync(stamp) &&
  fs.readFileSync(stamp, 'utf8').trim() === digest;
if (upToDate) {
  process.stdout.write(
    `dist/ is the build of the current sources (checked in ${Date.now() - started} ms): not rebuilding\n`,
  );
} else {
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
  fs.writeFileSync(stamp, `${digest}\n`);
}
