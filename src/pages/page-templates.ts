import { Eta } from 'eta';

/**
 * The templates of the board and the desk (this folder, copied into dist by nest-cli.json): one
 * layout and stylesheet (`layout.eta`), the components (`components/`, docs/pages.md) and each
 * site's pages. Eta escapes every `<%= %>` (autoEscape); `<%~ %>` only takes HTML we rendered.
 */
export function pageTemplates(): Eta {
  return new Eta({ views: __dirname, autoEscape: true, cache: true, defaultExtension: '.eta' });
}
