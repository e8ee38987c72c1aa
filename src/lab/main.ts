/**
 * The course lab page: wires the controls to a LabSession (src/lab/session.ts) and draws its state with
 * the views (diagram, explanation, loss curve, boundary, confusion matrix, loss surface). No engine code
 * here: every number shown comes from the Model on the chosen backend, the scalar engine, or the CPU
 * oracle's kernels (views of the current weights on points that are not the batch).
 *
 * This file is the entry: run() (one action at a time), loading a net, the presets, the step buttons, the
 * editor and start() (the link's fragment). The page's state is page.ts; the device badge, notices and
 * enabled controls device-panel.ts; the drawing views.ts; the tabs tabs.ts; Train and Fit training.ts; files,
 * share links and Your data file-actions.ts.
 */
import 'katex/dist/katex.min.css';
import type { BackendKind } from '../backend.ts';
import { paramsToSpec, type NetworkSpec } from '../spec.ts';
import { chooseDevice, deviceName, keepsPreset, verifyHolds } from './device.ts';
import { clearVerify, drawDevice, hideError, probeGpu, showActionError, showError, updateButtons, wireDevice } from './device-panel.ts';
import { $ } from './dom.ts';
import { watchFrozen } from './frozen.ts';
import { keepNow, restoreKept, wireKeep } from './keep-page.ts';
import { NetEditor } from './editor.ts';
import { filesLine, wireFiles } from './file-actions.ts';
import { checkLink, dataFor, editedData, isLink, readFragment, unsavedTraining } from './files.ts';
import { LazyCodeError, progressOn } from './lazy.ts';
import { startsNewCurve } from './eval.ts';
import { page, wasmSimd } from './page.ts';
import { loadPresetWith, netTitle, PRESETS, type PresetData, presetOfData, showPreset, shownPreset } from './presets.ts';
import { checkLabSpec, LabSession, omitKeys } from './session.ts';
import { wirePrint } from './print.ts';
import { selectionFor } from './surface-params.ts';
import { showInstead } from './swap.ts';
import { wireTabs } from './tabs.ts';
import { actOnSettledChange, decimalComma } from './keyboard.ts';
import { clearTrainLine, fitDefaults, showFitSettings, wireTraining } from './training.ts';
import { onSchemeChange, redrawWhat, type RedrawCause } from './palette.ts';
import { fitRestartedNote, resetLine } from './words.ts';
import {
  drawAll, drawChart, drawDataSummary, drawDiagram, drawExplanation, drawValues, fillExamples, fillSurfaceParams, onResize, repaintSurface, resetSurface, surfacePicks, wireSurface,
} from './views.ts';

const editor = new NetEditor($<HTMLFormElement>('editor'), (value) => {
  void run('Apply', async () => {
    const v = value();
    const current = page.data;
    if (!current || !page.session) return;
    // Same shapes and no re-initialisation: go on from the weights as they are now (after any training).
    const spec = v.spec.params ? { ...v.spec, params: paramsToSpec(page.session.net, page.session.params) } : v.spec;
    // Another loss function measures something else: its values start a new curve (another reduction does not: eval.ts).
    const newLoss = startsNewCurve(page.session.net, v.spec);
    const keep = Boolean(v.spec.params);
    await load({ ...current, spec, batchSize: v.batchSize }, keep && newLoss ? `edited; a new loss, ${lossName(v.spec)}: a new curve` : 'edited', { keep, newCurve: newLoss, edit: true });
  });
});

// ——— busy / errors ———
/** Run one user action: one at a time, the page marked busy (tests wait on it), errors shown, never thrown. */
async function run(what: string, work: () => Promise<void>): Promise<void> {
  if (document.body.dataset.busy) return;
  const before = document.activeElement;
  document.body.dataset.busy = what;
  updateButtons();
  // A control turned off while the action runs drops the focus on it to the page (a keyboard user's Train then lost
  // their place): during a Train or Fit it goes to Stop, the one control on; afterwards back to that control.
  if ((what === 'Train' || what === 'Fit') && isOff(before)) $('stop').focus();
  try {
    hideError();
    await work();
  } catch (err) {
    showActionError(what, err);
  } finally {
    delete document.body.dataset.busy;
    updateButtons();
    const now = document.activeElement;
    // A control the action made anew (the editor's Apply, which shows the net again) is found by its id.
    const back = before instanceof HTMLElement && !before.isConnected && before.id ? document.getElementById(before.id) : before;
    if (back instanceof HTMLElement && back.isConnected && !isOff(back) && (now === null || now === document.body || isOff(now))) back.focus({ preventScroll: true });
    if (redrawPending.length > 0) redrawRestored();
    void keepNow(); // the net as it is now, kept for a reload (keep-page.ts); none after a Reset or a new net
    if (lostPending) afterDeviceLoss();
    if (linkPending) {
      const { before, link } = linkPending;
      linkPending = undefined;
      // The action may have written the address: a load takes a link it finds off, Share writes its own, a link that
      // failed puts back the one before. That address names the page's net now; the link followed goes back in.
      const now = location.href;
      if (now !== link) history.replaceState(history.state, '', link);
      followLink(now === link ? before : now);
    }
  }
}

/** A control that is disabled (itself or by its fieldset): focus cannot stay on it. */
const isOff = (e: Element | null): boolean => e !== null && e.matches(':disabled');

/**
 * NOTE: when the GPU process goes (a lost device takes it in headless Chromium on SwiftShader) every 2-D canvas
 * loses its context and comes back blank ('contextrestored'): draw everything again — after the action that is
 * running, if one is (it may be changing the session). So too when the colour scheme changes or printing starts or
 * ends (palette.ts onSchemeChange). `redrawPending`: the causes waiting (none: no redraw pending), which an error
 * while redrawing names (palette.ts redrawWhat) with `now`'s.
 */
let redrawPending: RedrawCause[] = [];
function redrawRestored(...now: RedrawCause[]): void {
  const why = [...redrawPending, ...now];
  redrawPending = [];
  try {
    drawAll();
  } catch (err) {
    showError(redrawWhat(why), err);
  }
}

/**
 * After a device loss: the same net and weights on what 'auto' takes without WebGPU — wasm (the fastest CPU
 * path) where it is available, else the CPU — with the notice saying why.
 */
let lostPending = false;
function afterDeviceLoss(): void {
  lostPending = false;
  const next = chooseDevice(page.adapter, wasmSimd).start;
  void run(`Moving to ${deviceName(next)} after the GPU device was lost`, async () => {
    if (page.session?.kind === 'webgpu') await switchBackend(next, 'the GPU device was lost');
    drawDevice();
  });
}

/** The net and weights on `kind`. A switch that fails leaves the page on the session it had, the switch saying so. */
async function switchBackend(kind: BackendKind, why = `switched to ${kind}`): Promise<void> {
  if (!page.session || !page.data) return;
  const spec = page.session.toSpec();
  try {
    await load({ ...page.data, spec }, why, { kind, keep: true });
  } catch (err) {
    drawDevice(); // the radio clicked back to the backend the net is on (run() shows the error)
    throw err;
  }
}

// ——— loading a net ———
/** A loss and its reduction in words: "mse, mean". */
function lossName(spec: NetworkSpec): string {
  return `${spec.loss}, ${spec.reduction ?? 'mean'}`;
}

/**
 * Load a net (validated first: on error nothing changes). `keep`: the same net goes on (a backend switch, an
 * edit that kept the weights), so the loss curve and the weights Reset returns to carry over. `newCurve` (with
 * `keep`: the loss function changed): the weights and the step count go on, the curve starts again. `fromLink`: the
 * net the address bar's link names (or the default lecture instead of a link refused), which leaves the link there.
 * `edit`: the page's net changed (an Apply, New seed): a lecture's net no longer the lecture's loses its checks (editedData).
 */
async function load(loaded: PresetData, why: string, options: { kind?: BackendKind; keep?: boolean; newCurve?: boolean; fromLink?: boolean; edit?: boolean; preset?: string } = {}): Promise<void> {
  const { kind, keep = false, newCurve = false, fromLink = false, edit = false } = options;
  const lab = checkLabSpec(loaded.spec, loaded.batchSize);
  const was = page.session?.lab;
  // Is this still the preset's net (the Preset menu's and, after an edit, the Lecture checks' rule).
  const presetsNet = keepsPreset(was, lab, keep);
  const next = edit ? editedData(loaded, presetsNet) : loaded;
  const auto = chooseDevice(page.adapter, wasmSimd).start;
  const backend = kind ?? page.session?.kind ?? auto;
  // A switch that fails (continueFrom: a save or restore that throws) leaves no session open: the page stays on the last.
  const opened = await LabSession.openFrom(lab, backend === 'webgpu' && !page.gpu ? auto : backend, page.gpu, keep ? page.session : null, { newCurve });
  // Another net: its default parameter, unless it has the same shapes (the selection is then the same parameter).
  const selected = selectionFor(page.session?.net, opened.net, page.selected);
  // Every view drawn before anything else changes: a view that throws leaves the previous net on the page (swap.ts).
  showInstead(page, { session: opened, data: next, example: 0, selected }, () => {
    fillExamples();
    fillSurfaceParams();
    drawAll();
  }, surfacePicks);
  // What the views drew of the last net and nothing redraws: its Train line on another net (not one going on), its
  // Verify line on another net or one going on with another pass (verifyHolds: an edit of an activation, the loss or the
  // batch size), its loss surface on anything but a backend switch (an edit may change the activations or loss).
  // A new loss empties the Train line with the curve: its "loss A → B" measured the loss before.
  // A link (Share's, a #preset= one) names the net it opened: once another is on the page (a preset, an edit, a file,
  // your data, New seed: anything but a backend switch) it goes, without a new history entry; a reload opened the old net.
  if (!kind && !fromLink && isLink(location.hash)) history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  // The Device & files line spoke of the last net's file or link ("Link copied; it is also in the address bar." stayed
  // once the link had gone): any load but a backend switch empties it, as it drops the link — an Apply that changes
  // nothing too (an import writes its own line after this) —, and with it the box a refused Share left in a frame.
  if (!kind) filesLine('');
  // The Preset menu names the preset only while this is its net (keepsPreset): an edit of it, New seed, your data, a file
  // or a link put it on "(your own data or net)" (loadPreset then names the preset it loaded) — or on the lecture whose
  // own net it is (a file or a link of it, an edit back to it: dataFor, editedData), as its Lecture checks are shown.
  if (!kind && !presetsNet) showPreset(presetOfData(next));
  if (!keep || newCurve) clearTrainLine();
  if (!keep || !was || !verifyHolds(was, lab)) clearVerify();
  if (!kind) resetSurface();
  editor.show(opened.toSpec(), lab.batchSize, lab.x.length, opened.seed);
  drawDataSummary();
  // A new net: the Fit panel's defaults; the same net kept (an edit, a backend switch): its lr default follows the net's lr.
  fitDefaults(keep);
  // The menu's preset: the one being loaded (loadPresetWith puts the menu on it after this), else where the menu is now.
  $('stage-out').textContent = `${netTitle(next.spec.name, options.preset ?? shownPreset())} loaded on ${deviceName(opened.kind)} (${why}).${fitRestartedNote(opened.fitRestarted)} Press Forward.`;
}

async function loadPreset(id: string, why?: string, fromLink = false): Promise<void> {
  // A new net starts a new loss curve (load() keeps the curve only when switching backends). The net's name, which
  // the stage line starts with, names the preset: "(a preset)", not its id again ("lecture-2-2-1 … (preset lecture-2-2-1)").
  // One that fails before its net goes on puts the menu back on the net still on the page (loadPresetWith).
  // What the preset fetches (the MNIST digits, ~1.2 MB) has its progress line where the loaded net's line goes; a load
  // that fails with that line still up puts back the line of the net still on the page (the notice says what failed).
  const progress = progressOn($('stage-out'));
  try {
    await loadPresetWith(id, (data) => load(data, `a preset${why ? `: ${why}` : ''}`, { fromLink, preset: id }), () => page.session, progress.show);
  } catch (err) {
    progress.failed();
    throw err;
  }
}

function wire(): void {
  wireTabs();
  wirePrint();
  // A comma typed or pasted into a learning rate is its decimal point (keyboard.ts decimalComma): Chromium dropped it.
  document.addEventListener('beforeinput', (e) => decimalComma(e, (text) => document.execCommand('insertText', false, text)), true);
  const sel = $<HTMLSelectElement>('preset');
  // Shown (not offered) when the net came from your data, a file or a link.
  const own = new Option('(your own data or net)', '');
  own.hidden = true;
  sel.append(own);
  const groups = new Map<string, HTMLOptGroupElement>();
  for (const p of PRESETS) {
    let g = groups.get(p.group);
    if (!g) {
      g = document.createElement('optgroup');
      g.label = p.group;
      groups.set(p.group, g);
      sel.append(g);
    }
    const option = new Option(p.label, p.id);
    option.title = p.title;
    g.append(option);
  }
  // A pick loads at once; a walk through the closed menu with the keys loads on Enter or on leaving it (keyboard.ts).
  actOnSettledChange(sel, (id) => void run('Load preset', () => loadPreset(id)));

  $('step-forward').addEventListener('click', () => void run('Forward', async () => { await page.session!.forward(); drawAll(); }));
  $('step-loss').addEventListener('click', () => void run('Loss', async () => { page.session!.reveal('loss'); drawAll(); }));
  $('step-backward').addEventListener('click', () => void run('Backward', async () => { page.session!.reveal('backward'); drawAll(); }));
  $('step-update').addEventListener('click', () => void run('Update', async () => { await page.session!.update(); drawAll(); }));
  $('reset').addEventListener('click', () => void run('Reset', async () => {
    const s = page.session!;
    await s.reset();
    // Back at the starting weights, a lecture's net whose η and data are the lecture's again is the lecture (its checks,
    // the Preset menu), as the same spec from a file is (files.ts dataFor): it said "This net is not the lecture's own
    // net" with nothing left to name (review49c).
    // An opened worked example's net (changedLecture.own) is its file's again, its checks and all.
    const again = page.data?.changedLecture ? dataFor(s.toSpec(), s.lab.batchSize, page.data.changedLecture.own) : undefined;
    if (again?.worked) {
      page.data = again;
      showPreset(presetOfData(again));
    }
    drawAll();
    $('stage-out').textContent = resetLine(page.session!.batches);
    clearTrainLine();
  }));
  $('new-seed').addEventListener('click', () => void run('New seed', async () => {
    const s = page.session!;
    const d = page.data!;
    // A fresh seed for the same net and data: new starting weights (Reset then returns to these).
    const seed = 1 + Math.floor(Math.random() * 99_999);
    await load({ ...d, spec: { ...omitKeys(s.lab.spec, 'params'), init: { scheme: s.lab.spec.init?.scheme ?? 'xavier', seed } }, batchSize: s.lab.batchSize }, `new seed ${seed}`, { edit: true });
    $('train-out').textContent = `New seed ${seed}: new starting weights (the editor shows the seed; Reset returns to these).`;
  }));
  $('example').addEventListener('change', () => {
    page.example = Number($<HTMLSelectElement>('example').value);
    drawDiagram();
    drawExplanation(); // its note names the example the diagram shows
    drawValues(); // so does the Forward line ("the nodes show z and a of example 3"): it kept the example before
  });
  $('convention').addEventListener('change', () => { drawDiagram(); drawExplanation(); drawValues(); });
  wireTraining(run);
  $('log-scale').addEventListener('change', drawChart);
  wireDevice(run, (kind) => switchBackend(kind));
  wireFiles(run, load);
  wireSurface(run);
  // 'contextrestored' does not bubble: caught on the way down, once for all the canvases restored in a frame.
  document.addEventListener('contextrestored', () => redrawSoon('context'), true);
  // The system's colour scheme changed (dark at sunset): the canvases and the diagram take their colours when drawn
  // (palette.ts), so everything is drawn again, as after a restored context, and the loss surface's view (drawn only
  // on its Draw button, not by drawAll) as it is; printing, at once and light.
  onSchemeChange((cause) => { repaintSurface(); redrawSoon(cause); }, (cause) => { repaintSurface(); redrawRestored(cause); });
}

/** Everything drawn again in the next frame, or after the action that is running; `cause` kept for its error. */
function redrawSoon(cause: RedrawCause): void {
  const pending = redrawPending.length > 0;
  if (!redrawPending.includes(cause)) redrawPending.push(cause);
  if (pending) return;
  requestAnimationFrame(() => { if (redrawPending.length > 0 && !document.body.dataset.busy) redrawRestored(); });
}

async function start(): Promise<void> {
  window.addEventListener('resize', onResize);
  watchFrozen(); // a run's time leaves out the page's time in the back/forward cache (training.ts)
  wireKeep(); // the net kept when the page is hidden or left (keep-page.ts)
  // A link followed before the page's first Load (during probeGpu) is left to it: openLink reads the address when it
  // runs. Followed then, it opened before the GPU was probed, and openLink was dropped while it ran (run: one at a time).
  window.addEventListener('hashchange', (e) => { if (document.body.dataset.ready || document.body.dataset.busy) followLink(e.oldURL); });
  // A reload or a closed tab would lose training not yet exported or shared: the browser asks first (files.ts).
  window.addEventListener('beforeunload', (e) => {
    if (page.session && unsavedTraining(page.session, page.saved)) e.preventDefault();
  });
  wire();
  await probeGpu(() => {
    lostPending = true;
    if (!document.body.dataset.busy) afterDeviceLoss();
  });
  drawDevice();
  await run('Load', openLink);
  document.body.dataset.ready = 'true';
  updateButtons();
}

/** The net the page opens on without a link, and when the link's net cannot be loaded. */
const DEFAULT_PRESET = 'lecture-2-2-1';

/**
 * The net of the address's link (`#spec=`, with its `&batch=` and `&fit=` settings when it has them; `#preset=`):
 * every part checked before anything loads (a bad Fit setting loads nothing, as a bad spec does). False where the
 * address holds no link (none, or the page's own `#main` and `#more`).
 */
async function openFragment(): Promise<boolean> {
  const fragment = readFragment(location.hash);
  if (fragment.spec !== undefined) {
    // The link's spec as checkLabSpec returns it: an {examples, data} one's x and y as rows.
    const { lab, fit, own } = checkLink(fragment);
    // A link of a worked example opened here (`&worked=`) opens with its claims, as the file does (files.ts dataFor).
    await load(dataFor(lab.spec, fragment.batchSize, own), 'from the link', { fromLink: true });
    if (fit) showFitSettings(fit);
    return true;
  }
  if (fragment.preset !== undefined) {
    await loadPreset(fragment.preset, undefined, true);
    return true;
  }
  return false;
}

/**
 * The page's first net: the link's, else the default lecture. A link that cannot be read or loaded (not base64url
 * JSON, a spec, batch size or Fit setting the engine refuses, an unknown preset) still opens the default lecture, so
 * that every control works, and its error stays on screen, naming the link's field and saying what was loaded instead.
 */
async function openLink(): Promise<void> {
  // The net kept from before a reload (keep-page.ts), where no other link is in the address; its digits not loaded
  // (offline): still kept, said on the notice after the page's start is loaded.
  let unrestored: LazyCodeError | undefined;
  try {
    if (await restoreKept(load, progressOn($('stage-out')).show)) return;
  } catch (err) {
    if (!(err instanceof LazyCodeError)) throw err;
    unrestored = err;
  }
  const sayKept = (): void => {
    if (unrestored) showError('Restoring your net from before the reload', unrestored.cause, `${unrestored.part[0].toUpperCase()}${unrestored.part.slice(1)} did not load: check the connection. Your net is still kept for this tab: reload the page to restore it (the net shown meanwhile is not it).`);
  };
  let failure: unknown;
  try {
    if (await openFragment()) return sayKept();
  } catch (err) {
    failure = err;
  }
  await loadPreset(DEFAULT_PRESET, failure ? 'the link could not be loaded' : undefined, true);
  if (failure) showError('Opening the link', failure, `The ${DEFAULT_PRESET} preset is loaded instead.`);
  else sayKept();
}

/**
 * A link followed while an action ran (followLink): the address before it and the link, which opens when the action
 * ends (run). NOTE: the link is kept, not read back from the address then: the action (a preset, an edit, your data, the
 * page's first net) took it off the address as a link that no longer named the page's net, and it was lost.
 */
let linkPending: { before: string; link: string } | undefined;

/**
 * A link followed in a tab where the lab is open — pasted into the address bar, or a link to the lab clicked on it —
 * changes only the fragment: the browser loads nothing, so the page opens the link's net itself (it stayed on the old
 * net with the new link in the address bar, which a reload then opened). As a reload would, it asks first while the
 * training on the page is unsaved (the browser asks nothing for a fragment); refused, or a link that cannot be opened,
 * the net on the page stays and the address goes back to the one before (a link names the page's net or none). While
 * an action runs (a Train, a Fit), the link opens when it ends. The page's own anchors (#main, #more) and an address
 * cleared to no fragment load nothing.
 */
function followLink(before: string): void {
  if (!isLink(location.hash)) {
    // Gone back to an address without a link while an action ran: the link followed before it no longer opens.
    if (document.body.dataset.busy && linkPending) {
      linkPending = undefined;
      filesLine('');
    }
    return;
  }
  if (document.body.dataset.busy) {
    linkPending = { before: linkPending?.before ?? before, link: location.href };
    filesLine(`The link in the address bar opens when ${document.body.dataset.busy} ends.`);
    return;
  }
  const back = (): void => history.replaceState(history.state, '', before);
  if (page.session && unsavedTraining(page.session, page.saved)
    && !window.confirm('Open the link? The training on this page has not been exported or shared: opening another net loses it.')) {
    back();
    return;
  }
  void run('Open link', async () => {
    try {
      await openFragment();
    } catch (err) {
      back();
      showError('Opening the link', err, 'The net on the page stays.');
    }
  });
}

void start();
