import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The house without loops (issue 28): no import cycle in `src/`, `test/`, `bench/`, `migrations/` (type-only imports
 * count: a cycle of types is still two modules that cannot be read one without the other), and
 * nothing in `src/common/` or `src/config/` imports a feature module (`src/modules/`). ESLint's
 * `no-restricted-imports` says the second at the line; this test says both for the whole graph.
 * The graph is built with TypeScript's own module resolution, so it sees what `tsc` sees.
 */
const ROOT = path.join(__dirname, '../..');
const SCANNED = ['src', 'bench', 'test', 'migrations'];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

const options: ts.CompilerOptions = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
};

/** Every file's imports and re-exports (static and `import()`), resolved to files of the project. */
function importGraph(files: string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles.flatMap(({ fileName }) => {
      if (!fileName.startsWith('.')) return [];
      const resolved = ts.resolveModuleName(fileName, file, options, ts.sys).resolvedModule;
      const target = resolved && path.normalize(resolved.resolvedFileName);
      return target && known.has(target) && target !== file ? [target] : [];
    });
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Each cycle once, as the list of files around it (Tarjan's strongly connected components). */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

const relative = (file: string): string => path.relative(ROOT, file);

describe('the import graph', () => {
  const files = SCANNED.flatMap((dir) => sources(path.join(ROOT, dir)));
  const graph = importGraph(files);

  it('reads the whole house (the test looks where the imports are)', () => {
    expect(files.length).toBeGreaterThan(300);
    const edges = [...graph.values()].reduce((sum, targets) => sum + targets.length, 0);
    expect(edges).toBeGreaterThan(1000);
  });

  it('has no cycle', () => {
    expect(cycles(graph).map((component) => component.map(relative))).toEqual([]);
  });

  it('has no import from src/common/ or src/config/ into src/modules/', () => {
    const lower = ['src/common/', 'src/config/'];
    const offenders = [...graph].flatMap(([file, targets]) =>
      lower.some((dir) => relative(file).startsWith(dir))
        ? targets
            .filter((target) => relative(target).startsWith('src/modules/'))
            .map((target) => `${relative(file)} → ${relative(target)}`)
        : [],
    );
    expect(offenders).toEqual([]);
  });

  it('would catch one (a planted cycle is found, an acyclic graph is not)', () => {
    const planted = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(planted)).toEqual([['a', 'b', 'c']]);
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });
});
