/**
 * The bench page's link: its query parameters read into a PageQuery (checked: an unknown config or system, or a
 * count that is not a positive integer, throws naming the parameter, before anything starts) and a PageQuery written
 * back as a link (the `command` of a run started from the form). No DOM: test/bench.test.ts checks the round trip.
 *   configs=a,b-mse,…  systems=ours-webgpu,…  quick=1  autorun=1  driven=1 (npm run bench)
 *   jaxWorkers=N  tfjsThreads=N  oursWasmThreads=N
 */
import { selectConfigs } from '../configs.ts';
import { SYSTEMS, type SystemId } from '../systems.ts';

export interface PageQuery {
  /** Config ids or groups as given (each one known). */
  configs?: string[];
  systems?: SystemId[];
  quick: boolean;
  autorun: boolean;
  /** npm run bench drives the page (its first request sets the counts). */
  driven: boolean;
  jaxWorkers?: number;
  tfjsThreads?: number;
  oursWasmThreads?: number;
}

/** A bad link: `param` is the query parameter it is about. */
export class BenchLinkError extends Error {
  readonly param: string;
  constructor(param: string, message: string) {
    super(`the link's ${param}: ${message}`);
    this.name = 'BenchLinkError';
    this.param = param;
  }
}

const COUNTS = ['jaxWorkers', 'tfjsThreads', 'oursWasmThreads'] as const;

/** Reads `location.search` ('?configs=a&…' or ''); throws BenchLinkError on an unknown name or a bad count. */
export function parseQuery(search: string): PageQuery {
  const p = new URLSearchParams(search);
  const list = (name: string): string[] | undefined => {
    const v = p.get(name);
    return v === null ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean);
  };
  const q: PageQuery = { quick: p.get('quick') === '1', autorun: p.get('autorun') === '1', driven: p.get('driven') === '1' };
  const configs = list('configs');
  if (configs) {
    try {
      selectConfigs(configs);
    } catch (err) {
      throw new BenchLinkError('configs', err instanceof Error ? err.message : String(err));
    }
    q.configs = configs;
  }
  const systems = list('systems');
  if (systems) {
    const unknown = systems.filter((s) => !(SYSTEMS as string[]).includes(s));
    if (unknown.length) throw new BenchLinkError('systems', `unknown system${unknown.length > 1 ? 's' : ''} ${unknown.map((s) => `'${s}'`).join(', ')}; known: ${SYSTEMS.join(', ')}`);
    q.systems = systems as SystemId[];
  }
  for (const name of COUNTS) {
    const v = p.get(name);
    if (v === null) continue;
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || !Number.isInteger(n) || n < 1) throw new BenchLinkError(name, `wants a positive integer, got '${v}'`);
    q[name] = n;
  }
  return q;
}

/** The query string ('?configs=…') that parseQuery reads back as `q`; parameters at their default are left out. */
export function queryOf(q: PageQuery): string {
  const parts: string[] = [];
  // Commas stay readable: config ids and system names have none of their own (URLSearchParams would write %2C).
  if (q.configs) parts.push(`configs=${q.configs.map(encodeURIComponent).join(',')}`);
  if (q.systems) parts.push(`systems=${q.systems.map(encodeURIComponent).join(',')}`);
  if (q.quick) parts.push('quick=1');
  for (const name of COUNTS) if (q[name] !== undefined) parts.push(`${name}=${q[name]}`);
  if (q.driven) parts.push('driven=1');
  if (q.autorun) parts.push('autorun=1');
  return parts.length ? `?${parts.join('&')}` : '';
}

/**
 * The link that reproduces a run started from the form: its configs, systems and quick as ticked, the page's counts
 * (they were set when the page loaded, from its link), autorun=1.
 */
export function formLink(page: string, form: { configs: string[]; systems: SystemId[]; quick: boolean }, loaded: PageQuery): string {
  const { jaxWorkers, tfjsThreads, oursWasmThreads } = loaded;
  const q: PageQuery = { configs: form.configs, systems: form.systems, quick: form.quick, autorun: true, driven: false, jaxWorkers, tfjsThreads, oursWasmThreads };
  return `${page}${queryOf(q)}`;
}
