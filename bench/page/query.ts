/**
 * The bench page's link: its query parameters read into a PageQuery and a PageQuery written back as a link (the
 * `command` of a run started from the form), and the run the form asks for (formRun). Checked before anything starts: an unknown parameter name, a parameter
 * given twice, a flag other than 1 or 0, an unknown config or system (or one named twice), or a count that is not a positive integer (jaxWorkers: 0 too; oursWasmThreads and jaxWorkers at most MAX_THREADS) is a
 * BenchLinkError naming the parameter (readQuery keeps the valid parts beside the errors, for the page's form), as is
 * an unknown kernel variant, one given twice, none (`webgpuVariants=`; an empty item is left out, as in every list),
 * or variants with systems= leaving out ours-webgpu, and fits= (1 to MAX_FITS) where no e or qe config runs.
 * No DOM: test/bench-report.test.ts checks it in Node.
 *   configs=a,b-mse,…  systems=ours-webgpu,…  quick=1  autorun=1  driven=1 (npm run bench)  (flags: 1 on, 0 off)
 *   jaxWorkers=N (0: no pool, the main thread)  tfjsThreads=N  oursWasmThreads=N  webgpuVariants=auto,tiled,… (--webgpu-variants: one ours-webgpu row each)
 *   fits=N (--fits: config e's fits a system, round-robin)
 */
import { configNames, FULL_CONFIGS, hasFit, QUICK_BROWSER_CONFIGS, quoted, runMode, selectConfigs, unknownNames } from '../configs.ts';
import { FULL_POLICY, MAX_FITS, QUICK_POLICY } from '../protocol.ts';
import { readNameList, readVariantList, SYSTEMS, type SystemId, WEBGPU_VARIANTS, type WebGpuVariant } from '../systems.ts';
import { MAX_THREADS } from '../../src/wasm/limits.ts';
import type { EnvOptions } from './main.ts';
import type { RunRequest } from './run.ts';

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
  /** ours-webgpu's kernel variants, one row each (npm run bench's --webgpu-variants); absent: 'auto' alone. */
  webgpuVariants?: WebGpuVariant[];
  /** Config e's fits a system (npm run bench's --fits; 1 to MAX_FITS); absent: one. */
  fits?: number;
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
const FLAGS = ['quick', 'autorun', 'driven'] as const;
/** Every parameter the page reads; a link with any other name starts nothing. */
export const QUERY_PARAMS: readonly string[] = ['configs', 'systems', ...FLAGS, ...COUNTS, 'webgpuVariants', 'fits'];


/** An unknown parameter name's message: the names the page reads, and the one it is probably a typo of. */
function unknownParam(name: string): string {
  const lower = name.toLowerCase();
  const near = QUERY_PARAMS.find((k) => [lower, `${lower}s`].includes(k.toLowerCase()));
  return `unknown parameter${near ? ` (did you mean ${near}?)` : ''}; the page reads ${QUERY_PARAMS.join(', ')}`;
}

/**
 * Reads `location.search` ('?configs=a&…' or ''): every valid parameter into `query`, every problem (in the link's
 * order) into `errors`. A list keeps its known items; one with none known, a bad flag or a bad count is left out
 * (its default).
 */
export function readQuery(search: string): { query: PageQuery; errors: BenchLinkError[] } {
  const p = new URLSearchParams(search);
  const q: PageQuery = { quick: false, autorun: false, driven: false };
  const errors: BenchLinkError[] = [];
  const configIds = configNames();
  for (const name of new Set(p.keys())) {
    const bad = (message: string): void => void errors.push(new BenchLinkError(name, message));
    if (!QUERY_PARAMS.includes(name)) {
      bad(unknownParam(name));
      continue;
    }
    // NOTE: after the name is known (a few, each once here): getAll runs over the whole link, and asked of every
    // name of a link of 100 000 unknown parameters it froze the page for a minute.
    const values = p.getAll(name);
    if (values.length > 1) {
      bad(`given ${values.length} times (${quoted(values)}); give it once`);
      continue;
    }
    const v = values[0];
    if (name === 'configs' || name === 'systems') {
      // As --configs and --systems read theirs (readNameList): a name given twice is an error, not merged into one;
      // an unknown name is reported first, as on the command line.
      const { items, twice } = readNameList(name, v);
      const known = name === 'configs' ? configIds : SYSTEMS;
      const unknown = items.filter((s) => !known.includes(s));
      if (unknown.length) bad(unknownNames(name.slice(0, -1), unknown, known));
      else if (twice) bad(twice);
      // The known items, each once, stay for the form.
      const good = [...new Set(items.filter((s) => known.includes(s)))];
      // An empty list is kept (the form ticks nothing: "nothing to run"); one with nothing known is left out.
      if (good.length || !items.length) {
        if (name === 'configs') q.configs = good;
        else q.systems = good as SystemId[];
      }
    } else if (name === 'webgpuVariants') {
      const { items, unknown, twice } = readVariantList(v);
      // An empty item is left out (`auto,` is `auto`), as in configs= and systems=; a list of none (`webgpuVariants=`)
      // would run ours-webgpu with no variant: refused, as `--webgpu-variants ,` is.
      if (!items.length) bad(`names no variant (got '${v}')`);
      else if (unknown.length) bad(unknownNames('variant', unknown, WEBGPU_VARIANTS));
      else if (twice) bad(twice);
      // As configs and systems: the known items (each once) stay for the form; none known leaves the default.
      const good = [...new Set(items.filter((s) => (WEBGPU_VARIANTS as readonly string[]).includes(s)))];
      if (good.length) q.webgpuVariants = good as WebGpuVariant[];
    } else if ((FLAGS as readonly string[]).includes(name)) {
      if (v === '1' || v === '0') q[name as (typeof FLAGS)[number]] = v === '1';
      else bad(`wants 1 (on) or 0 (off), got '${v}'`);
    } else {
      // Digits only, untrimmed: a '+' in a link decodes as a space (`?jaxWorkers=+2` is ' 2'), refused as a flag's ' 1' is.
      // jaxWorkers=0: jax-js without a worker pool, on the page's main thread (as --jax-wasm-workers 0).
      const n = Number(v);
      const min = name === 'jaxWorkers' ? 0 : 1;
      if (!/^\d+$/.test(v) || !Number.isInteger(n) || n < min) bad(`wants a ${min ? 'positive' : 'non-negative'} integer, got '${v}'`);
      // As --ours-wasm-threads: the wasm backend takes at most MAX_THREADS (more failed every ours-wasm row once the run was under way).
      else if (name === 'oursWasmThreads' && n > MAX_THREADS) bad(`wants at most ${MAX_THREADS} (ours-wasm's MAX_THREADS), got '${v}'`);
      // As --jax-wasm-workers: jax-js would start every worker asked.
      else if (name === 'jaxWorkers' && n > MAX_THREADS) bad(`wants at most ${MAX_THREADS} (as --jax-wasm-workers: jax-js would start every one), got '${v}'`);
      else if (name === 'fits' && n > MAX_FITS) bad(`wants at most ${MAX_FITS} (as --fits), got '${v}'`);
      else q[name as (typeof COUNTS)[number] | 'fits'] = n;
    }
  }
  // As npm run bench's --webgpu-variants without ours-webgpu on --systems: variants for a run without it would do nothing.
  if (q.webgpuVariants && q.systems && !q.systems.includes('ours-webgpu')) {
    errors.push(new BenchLinkError('webgpuVariants', 'ours-webgpu is not among systems, so it would do nothing'));
  }
  // As --fits without an e or qe config: the link's configs (or the form's default for it) have no fit to repeat, said
  // as the link asked for them (`configs=a,b`). A configs= with no known name is its own error (the form's default is
  // not what the link asked for): said once.
  const configsRefused = p.has('configs') && q.configs === undefined;
  if (q.fits !== undefined && !configsRefused && !hasFit(selectConfigs(q.configs ?? defaultConfigIds(q.quick)))) {
    errors.push(new BenchLinkError('fits', `repeats config e's fits, but ${q.configs ? `configs=${p.get('configs')} names no e or qe config` : `the default configs (${defaultConfigIds(q.quick).join(', ')}) have none`}, so it would do nothing`));
  }
  return { query: q, errors };
}

/**
 * The configs the form ticks when the link names none: with quick=1 the set `npm run bench -- --quick` runs
 * (QUICK_BROWSER_CONFIGS: a, q-mse, q-ce, qe-sgd, qe-adam, q-matmul), else a, b-mse and b-ce.
 */
export function defaultConfigIds(quick: boolean): string[] {
  return (quick ? QUICK_BROWSER_CONFIGS : FULL_CONFIGS.slice(0, 3)).map((c) => c.id);
}

/** Reads `location.search` like readQuery; throws the first BenchLinkError of a bad link. */
export function parseQuery(search: string): PageQuery {
  const { query, errors } = readQuery(search);
  if (errors.length) throw errors[0];
  return query;
}

/**
 * `picked` (the form's ticked ids, in the form's order) in the link's order: the ones the link named first, as it
 * named them, then the others as the form has them. A run from a link runs its systems and configs in its order.
 */
export function inLinkOrder<T extends string>(picked: readonly T[], link: readonly T[] | undefined): T[] {
  const named = (link ?? []).filter((x) => picked.includes(x));
  return [...new Set(named), ...picked.filter((x) => !named.includes(x))];
}

/** The query string ('?configs=…') that parseQuery reads back as `q`; parameters at their default are left out. */
export function queryOf(q: PageQuery): string {
  const parts: string[] = [];
  // Commas stay readable: config ids and system names have none of their own (URLSearchParams would write %2C).
  if (q.configs) parts.push(`configs=${q.configs.map(encodeURIComponent).join(',')}`);
  if (q.systems) parts.push(`systems=${q.systems.map(encodeURIComponent).join(',')}`);
  if (q.quick) parts.push('quick=1');
  for (const name of COUNTS) if (q[name] !== undefined) parts.push(`${name}=${q[name]}`);
  if (q.webgpuVariants) parts.push(`webgpuVariants=${q.webgpuVariants.join(',')}`);
  if (q.fits !== undefined) parts.push(`fits=${q.fits}`);
  if (q.driven) parts.push('driven=1');
  if (q.autorun) parts.push('autorun=1');
  return parts.length ? `?${parts.join('&')}` : '';
}

/**
 * The link that reproduces a run started from the form: its configs, systems, quick and ours-webgpu's kernel variants
 * as ticked (the variants only with ours-webgpu ticked), the page's counts (they were set when the page loaded, from
 * its link), autorun=1.
 */
export function formLink(page: string, form: { configs: string[]; systems: SystemId[]; quick: boolean; webgpuVariants?: WebGpuVariant[] }, loaded: PageQuery): string {
  const { jaxWorkers, tfjsThreads, oursWasmThreads } = loaded;
  const q: PageQuery = {
    configs: form.configs, systems: form.systems, quick: form.quick, autorun: true, driven: false, jaxWorkers, tfjsThreads, oursWasmThreads,
    // Only with ours-webgpu ticked: without it they ran nothing, and none ticked ([]) would write `webgpuVariants=`, a link the page refuses.
    ...(form.webgpuVariants?.length && form.systems.includes('ours-webgpu') ? { webgpuVariants: form.webgpuVariants } : {}),
    // The link's fits, with an e or qe config ticked (without one they ran nothing, and the link would be refused).
    ...(loaded.fits !== undefined && hasFit(selectConfigs(form.configs)) ? { fits: loaded.fits } : {}),
  };
  return `${page}${queryOf(q)}`;
}

/** The page's environment as the link's counts ask for it (jaxWorkers=, tfjsThreads=, oursWasmThreads=; absent: the defaults). */
export function linkEnv(q: PageQuery): EnvOptions {
  const { jaxWorkers, tfjsThreads, oursWasmThreads } = q;
  return { ...(oursWasmThreads ? { oursWasmThreads } : {}), ...(jaxWorkers !== undefined ? { jaxWasmWorkers: jaxWorkers } : {}), ...(tfjsThreads ? { tfjsWasmThreads: tfjsThreads } : {}) };
}

/**
 * The run the form asks for (./ui.ts reads its ticked boxes, in the form's order): configs, systems and kernel variants
 * in the link's order (inLinkOrder); named as the command line names it (runMode: `?configs=a&quick=1` is a custom run,
 * as `--configs a --quick` is; the quick set ticked with quick, a quick run); the link's fits with an e or qe config
 * ticked; the environment the link's counts ask for (linkEnv: a driven page is set up by the first run's request);
 * its command the link that reproduces it (formLink). `auto` alone ticked is the plain run, one row without a variant,
 * unless the link named variants; any other choice is one row each (--webgpu-variants).
 */
export function formRun(page: string, ticked: { configs: string[]; systems: SystemId[]; variants: WebGpuVariant[]; quick: boolean }, loaded: PageQuery): RunRequest {
  const { quick } = ticked;
  const ids = inLinkOrder(ticked.configs, loaded.configs && selectConfigs(loaded.configs).map((c) => c.id));
  const systems = inLinkOrder(ticked.systems, loaded.systems);
  const variants = inLinkOrder(ticked.variants, loaded.webgpuVariants);
  const webgpuVariants = loaded.webgpuVariants || variants.length !== 1 || variants[0] !== 'auto' ? variants : undefined;
  const configs = selectConfigs(ids);
  const fits = loaded.fits !== undefined && loaded.fits > 1 && hasFit(configs) ? { fits: loaded.fits } : {};
  return {
    mode: runMode(configs, quick), configs, systems, policy: { ...(quick ? QUICK_POLICY : FULL_POLICY), ...fits }, env: linkEnv(loaded),
    command: formLink(page, { configs: ids, systems, quick, webgpuVariants }, loaded),
    ...(webgpuVariants ? { webgpuVariants } : {}),
  };
}
