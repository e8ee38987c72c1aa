/**
 * The CLI's WebGPU in headless Chromium, on the harness page (src/browser/harness.ts), one session per command,
 * closed at the end: the fallback where Dawn has no adapter (src/cli/webgpu.ts). Page errors come back as plain
 * objects and are turned back into BackpropErrors.
 */
import type { AdapterReport, FitPayload, PlainFitOptions, PlainGrad, PlainParams, Result } from '../browser/harness.ts';
import type { EpochLog, FitProgress } from '../train/fit.ts';
import { BackpropError, type ErrorCode } from '../errors.ts';
import type { BrowserSession } from '../node/session.ts';
import type { KernelVariant } from '../webgpu/variants.ts';
import type { EpochReply } from '../browser/plain.ts';

export type { AdapterReport, PlainGrad, PlainParams };

/** An error thrown in the page that is not a BackpropError (a bug, or a module that failed to load). */
export class PageError extends Error {
  constructor(name: string, message: string) {
    super(`${name} in the browser page: ${message}`);
    this.name = 'PageError';
  }
}

function unwrap<T>(r: Result<T>): T {
  if ('ok' in r) return r.ok;
  const e = r.error;
  if (e.code) throw new BackpropError(e.code as ErrorCode, e.message, e.field);
  throw new PageError(e.name, e.message);
}

export class WebGpuPage {
  readonly where: string = 'in headless Chromium';
  readonly route = 'chromium' as const;

  private constructor(private readonly session: BrowserSession) {}

  /**
   * Start Vite + headless Chromium (loaded lazily: the CPU-only commands never pay for it). `variant`: the kernels of
   * the page's WebGPU backend (the harness's useVariant, made when first used; absent: 'auto', picked per adapter).
   * `dawnMissing`: Dawn was tried first and the npm package webgpu did not load (a missing puppeteer-core's error names both).
   */
  static async open(variant?: 'auto' | KernelVariant, dawnMissing = false): Promise<WebGpuPage> {
    const { startBrowserSession } = await import('../node/session.ts');
    const page = new WebGpuPage(await startBrowserSession(dawnMissing));
    if (variant !== undefined) await page.session.page.evaluate((v) => window.bp.useVariant(v), variant);
    return page;
  }

  /** The page's adapter; the LimitError its backend was refused with (a variant the adapter cannot run) thrown as such. */
  async adapter(): Promise<AdapterReport> {
    const report = await this.session.page.evaluate(() => window.bp.adapter());
    if (report.error) unwrap({ error: report.error });
    return report;
  }

  async grad(spec: unknown): Promise<PlainGrad> {
    return unwrap(await this.session.page.evaluate((s) => window.bp.grad(s, 'webgpu'), spec));
  }

  /** One SGD step at `lr`, else the spec's (none at all: SpecError 'lr', as on every backend). */
  async step(spec: unknown, lr?: number): Promise<PlainGrad & { params: PlainParams }> {
    return unwrap(await this.session.page.evaluate((s, rate) => window.bp.step(s, 'webgpu', rate), spec, lr));
  }

  /** `steps` SGD steps in one submission; the loss of the last step, the new parameters and the time taken. */
  async train(spec: unknown, steps: number, lr: number): Promise<{ loss: number; params: PlainParams; ms: number }> {
    const r = unwrap(await this.session.page.evaluate((s, k, rate) => window.bp.train(s, 'webgpu', k, 1, rate), spec, steps, lr));
    return { loss: r.losses[0], params: r.params, ms: r.ms };
  }

  /** A model kept open in the page for chunked training; dispose it with closeModel. */
  async openModel(spec: unknown): Promise<number> {
    return unwrap(await this.session.page.evaluate((s) => window.bp.open(s, 'webgpu'), spec)).id;
  }

  /** `steps` SGD steps in one submission on an open model: the loss of the last step and the time taken in the page. */
  async trainModel(id: number, steps: number): Promise<{ loss: number; ms: number }> {
    return unwrap(await this.session.page.evaluate((m, k) => window.bp.trainOpen(m, k), id, steps));
  }

  async modelLoss(id: number): Promise<number> {
    return unwrap(await this.session.page.evaluate((m) => window.bp.lossOpen(m), id));
  }

  async closeModel(id: number): Promise<void> {
    await this.session.page.evaluate((m) => window.bp.close(m), id);
  }

  private progress: ((e: EpochLog) => EpochReply) | undefined;
  private batchProgress: ((g: FitProgress) => void) | undefined;
  private exposed = false;

  /**
   * model.fit in the page; `onEpoch` gets each epoch's entry as it finishes (its reply 'stop' goes back to the page and
   * ends the fit after that epoch: src/browser/plain.ts fitModel), `onBatch` (when given) each submission's progress.
   */
  async fit(
    spec: unknown, payload: FitPayload, options: PlainFitOptions, save: boolean, onEpoch: (e: EpochLog) => EpochReply, onBatch?: (g: FitProgress) => void,
  ): Promise<{ history: EpochLog[]; params: PlainParams; checkpoint?: Uint8Array; description: string }> {
    this.progress = onEpoch;
    this.batchProgress = onBatch;
    if (!this.exposed) {
      await this.session.page.exposeFunction('bpProgress', (e: EpochLog) => this.progress?.(e));
      await this.session.page.exposeFunction('bpBatch', (g: FitProgress) => this.batchProgress?.(g));
      this.exposed = true;
    }
    const r = unwrap(await this.session.page.evaluate((s, p, o, k, b) => window.bp.fit(s, 'webgpu', p, o, k, b), spec, payload, options, save, onBatch !== undefined));
    return { ...r, checkpoint: r.checkpoint === undefined ? undefined : new Uint8Array(Buffer.from(r.checkpoint, 'base64')) };
  }

  close(): Promise<void> {
    return this.session.close();
  }
}
