import fs from 'node:fs';
import path from 'node:path';

/**
 * Docs that stay true (issue 23): every relative link and image in README.md and docs/*.md names
 * a file of the repository (a link from inside docs/ resolves from docs/, not from the root),
 * every #anchor names a heading of its page, and no doc points to the specification files that
 * live outside the repository.
 */
const root = path.resolve(__dirname, '..', '..');
const pages = [
  'README.md',
  ...fs
    .readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as dashes. */
const slug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

function anchorsOf(file: string): Set<string> {
  const text = fs.readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => slug(match[1])));
}

/** [text](target) and ![alt](target) outside code blocks and code spans. */
function linksOf(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
}

describe('links in README.md and docs/', () => {
  it.each(pages)(
    '%s: every relative link resolves to a file (and heading) of the repository',
    (page) => {
      const file = path.join(root, page);
      const broken: string[] = [];
      for (const link of linksOf(fs.readFileSync(file, 'utf8'))) {
        if (/^[a-z]+:/i.test(link)) continue; // http:, https:, mailto:
        const [target, anchor] = link.split('#');
        const resolved = target ? path.resolve(path.dirname(file), decodeURI(target)) : file;
        if (!resolved.startsWith(root + path.sep) || !fs.existsSync(resolved)) {
          broken.push(`${link} → ${path.relative(root, resolved)} (no such file)`);
          continue;
        }
        if (anchor && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor))
          broken.push(`${link} (no such heading)`);
      }
      expect(broken).toEqual([]);
    },
  );

  it('no doc names the specification files kept outside the repository', () => {
    const outside: string[] = [];
    for (const page of pages) {
      const text = fs.readFileSync(path.join(root, page), 'utf8');
      // api.md is docs/api.md; quality.md, domain.md, stack.md … are not in the repository.
      for (const match of text.matchAll(
        /(?<![\w/.-])(quality|domain|stack|style|source-report)\.md/g,
      ))
        outside.push(`${page}: ${match[0]}`);
      for (const match of text.matchAll(/\[[^\]]*\]\(([^)]*api\.md)[)#]/g))
        if (
          path.resolve(path.dirname(path.join(root, page)), match[1]) !==
          path.join(root, 'docs', 'api.md')
        )
          outside.push(`${page}: ${match[0]}`);
    }
    expect(outside).toEqual([]);
  });
});
