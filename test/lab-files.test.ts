/**
 * The lab's files and links in Node: export, share links, spec and worked-example files, unsaved training, the Fit
 * settings a link carries, the loss curve's CSV and ticks, and the views' counted sentences.
 */
import { describe, expect, it } from 'vitest';
import { ClaimError, ShapeError, SpecError } from '../src/errors.ts';
import { keepsPreset } from '../src/lab/device.ts';
import { generate2D } from '../src/lab/datasets.ts';
import { MAX_SHARE_CHARS, changeNow, checkLink, dataFor, defaultFitLr, editedData, fileBytes, importBatchSize, importedData, nextFitLr, fileName, parseSpecFile, readFragment, saveMark, shareFragment, unsavedTraining, type FitSettings } from '../src/lab/files.ts';
import { LossChart, logTicks, lossCsv, stepTicks, tickLabels, ticks } from '../src/lab/loss-chart.ts';
import { changedLectureLine, checksSummary, count, dataSummary, examplesShown, fitRestartedNote, fitStoppedLine, lectureDiffers, noClaimsLine, stoppedMark, trainStopped, verifyLine } from '../src/lab/words.ts';
import { LabSession, checkLabSpec } from '../src/lab/session.ts';
import type { RowsSpec } from '../src/spec.ts';
import type { OptimizerName } from '../src/train/optimizers.ts';
import { worked, xorSpec } from './lib/lab-nets.ts';
import { lecture } from '../src/lectures/index.ts';
import { presetOfData } from '../src/lab/presets.ts';
import { Model } from '../src/model.ts';

describe('files and links', () => {
  it('a file that cannot be read (a folder dropped, a file moved since it was chosen) is a SpecError naming it', async () => {
    const gone = { name: 'clouds.csv', arrayBuffer: () => Promise.reject(new DOMException('The requested file could not be read', 'NotReadableError')) };
    const err = await fileBytes(gone).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpecError);
    expect(err).toMatchObject({ field: 'clouds.csv', message: expect.stringMatching(/^clouds\.csv: could not be read \(NotReadableError: The requested file could not be read\)/) });
    // A plain Error's text alone (as the notice and the bench show one: shownMessageOf): it read "(Error: gone)".
    const plain = await fileBytes({ name: 'b.csv', arrayBuffer: () => Promise.reject(new Error('gone')) }).catch((e: unknown) => e);
    expect((plain as Error).message).toBe('b.csv: could not be read (gone); choose it again');
  });

  it('a 2-input file is drawn as classes only where each y row is a class: 0 / 1, or one-hot', () => {
    const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
    const net = { inputs: 2, layers: [{ units: 2, activation: 'sigmoid' as const }], loss: 'bce' as const, init: { scheme: 'xavier' as const, seed: 1 }, x, lr: 0.5 };
    expect(dataFor({ ...net, y: [[1, 0], [0, 1], [0, 1], [1, 0]] })).toMatchObject({ kind: '2d', labels: [0, 1, 1, 0], classes: 2 });
    expect(dataFor({ ...net, layers: [{ units: 1, activation: 'sigmoid' }], y: [[0], [1], [1], [0]] })).toMatchObject({ kind: '2d', labels: [0, 1, 1, 0], classes: 2 });
    // Two labels at once (sigmoid outputs, BCE), and a row with none: no class to colour a point by.
    expect(dataFor({ ...net, y: [[1, 1], [0, 1], [1, 0], [0, 0]] })).toMatchObject({ kind: 'custom' });
    expect(dataFor({ ...net, y: [[1, 0], [0, 1], [0, 1], [0, 0]] }).labels).toBeUndefined();
  });

  it('an imported file of the net on the page keeps its batch size only where the file has that many examples', () => {
    const d = generate2D('circle', 40, 3);
    const spec: RowsSpec = { ...xorSpec(), name: 'circle', x: d.x, y: d.y };
    const onPage = { spec, batchSize: 16 };
    // Exported here and imported back: cut as it was.
    expect(checkLabSpec(spec, importBatchSize(onPage, spec)).batchSize).toBe(16);
    // The same net on 10 of the points (its own file, nothing wrong in it): loads, full batch, not "batch size: … got 16".
    const fewer: RowsSpec = { ...spec, x: d.x.slice(0, 10), y: d.y.slice(0, 10) };
    expect(checkLabSpec(fewer, importBatchSize(onPage, fewer)).batchSize).toBe(10);
    // Another net, or none on the page: full batch.
    expect(importBatchSize(onPage, { ...spec, name: 'moons' })).toBeUndefined();
    expect(importBatchSize(null, spec)).toBeUndefined();
  });

  it('a lecture\'s net from a link is the lecture (its checks) only while unchanged: not after a step or another lr', async () => {
    const s = await LabSession.open(checkLabSpec(structuredClone(worked.spec)), 'cpu', null);
    // Exported as it loaded: float32 weights (0.15 is 0.1500000059604645 there), still the lecture.
    const shared = checkLabSpec(readFragment(`#${shareFragment(s.toSpec())}`).spec).spec; // as the page opens a link
    expect(shared.params!.W[0][0][0]).not.toBe(worked.spec.params!.W[0][0][0]);
    expect(dataFor(shared)).toMatchObject({ kind: 'lecture', worked: { title: worked.title } });
    expect(dataFor(shared).changedLecture).toBeUndefined();
    expect(dataFor({ ...shared, lr: 0.5 })).toMatchObject({ kind: 'custom', changedLecture: { title: worked.title } });
    expect(dataFor({ ...shared, lr: 0.5 }).worked).toBeUndefined();
    await s.update();
    expect(dataFor(s.toSpec())).toMatchObject({ kind: 'custom', changedLecture: { title: worked.title } });
    // Not a lecture's name: no lecture, nothing changed.
    expect(dataFor(xorSpec()).changedLecture).toBeUndefined();
    s.dispose();
  });

  it('an edit of a lecture\'s net keeps its Lecture checks only while the net is the lecture\'s (trained or not); another layer, η, batch or new weights drop them, naming the lecture', async () => {
    // The page's lecture preset (presets.ts), trained 3 steps, then each edit as the page's Apply and New seed make it
    // (main.ts: the spec with the weights as they are, `kept`, or without them and a seed).
    const data = { kind: 'lecture' as const, spec: structuredClone(worked.spec), worked };
    const s = await LabSession.open(checkLabSpec(data.spec), 'cpu', null);
    await s.train(3, () => undefined);
    const going = s.toSpec();
    const [hidden, out] = going.layers;
    const reseeded: RowsSpec = { ...going, params: undefined, init: { scheme: 'xavier', seed: 7 } };
    const edits: [string, RowsSpec, number | undefined, boolean, boolean][] = [
      ['nothing changed (trained 3 steps)', going, undefined, true, true],
      ['the lr', { ...going, lr: 0.5 }, undefined, true, false],
      ['an activation', { ...going, layers: [{ ...hidden, activation: 'tanh' }, out] }, undefined, true, false],
      ['the loss', { ...going, loss: 'bce', reduction: 'mean' }, undefined, true, false],
      ['2-3-1 (new weights)', { ...reseeded, layers: [{ ...hidden, units: 3 }, out] }, undefined, false, false],
      ['New seed', reseeded, undefined, false, false],
    ];
    for (const [what, spec, batch, kept, checks] of edits) {
      const next = editedData({ ...data, spec, batchSize: batch }, keepsPreset(s.lab, checkLabSpec(spec, batch), kept));
      if (checks) expect(next, what).toMatchObject({ kind: 'lecture', worked: { title: worked.title } });
      else {
        expect(next.worked, what).toBeUndefined();
        expect(next, what).toMatchObject({ kind: 'custom', changedLecture: { title: worked.title }, spec });
        // What an import of the same spec from a file gives (dataFor), which the page already said of it.
        expect(dataFor({ ...spec, name: worked.spec.name })).toMatchObject({ kind: next.kind, changedLecture: { title: worked.title } });
      }
    }
    // Its tab then says whose net the checks are for and how to load it (the table stayed, as if it checked this net);
    // with no lecture changed, which nets have checks and where to choose one.
    const change = { title: worked.title, differs: ["its learning rate (0.5; the lecture's 0.0001)"] };
    expect(noClaimsLine(change)).toBe(`The lecture checks of "${worked.title}" are for the lecture's own net, as printed; this net differs from the `
      + "lecture's in its learning rate (0.5; the lecture's 0.0001), so they do not apply here. Choose the lecture in Data → Preset to load its net and see them again.");
    expect(noClaimsLine()).toMatch(/lecture presets \(Data → Preset → Lecture examples\)/);
    // The batch size alone (a lecture of two examples, at 1 a step): another pass, the checks go (verifyHolds).
    const two = lecture('lecture-classification').worked;
    const twoData = { kind: 'lecture' as const, spec: structuredClone(two.spec), worked: two };
    const twoNet = checkLabSpec(twoData.spec);
    expect(twoNet.batchSize, 'the whole batch of two').toBe(2);
    expect(editedData({ ...twoData, batchSize: 2 }, keepsPreset(twoNet, checkLabSpec(two.spec, 2), true))).toMatchObject({ kind: 'lecture', worked: { title: two.title } });
    const byOne = editedData({ ...twoData, batchSize: 1 }, keepsPreset(twoNet, checkLabSpec(two.spec, 1), true));
    expect(byOne.worked).toBeUndefined();
    // Its two points and 0/1 labels make it 2-D data of its own (dataOf), as the same net from a file is.
    expect(byOne).toMatchObject({ kind: '2d', changedLecture: { title: two.title }, batchSize: 1 });
    // Data of no lecture (XOR edited) goes on as it was.
    const xor = { kind: '2d' as const, spec: xorSpec() };
    expect(editedData(xor, keepsPreset(checkLabSpec(xorSpec()), checkLabSpec({ ...xorSpec(), lr: 0.5 }), true))).toBe(xor);
    s.dispose();
  });

  it('a lecture\'s net no longer its own names what differs from the lecture\'s — only that, with the values — under its text and in its Lecture checks tab', async () => {
    // lecture-2-2-1: 2-2-1, sigmoid, the hidden layer's b shared, mse (mean), η 0.0001, one example. Its net as the page
    // holds it (float32 weights), each edit as the page's Apply (weights kept), New seed or another layer (new weights) make it.
    const s = await LabSession.open(checkLabSpec(structuredClone(worked.spec)), 'cpu', null);
    const own = s.toSpec();
    const [hidden, out] = own.layers;
    const reseeded: RowsSpec = { ...own, params: undefined, init: { scheme: 'xavier', seed: 7 } };
    const lr = "its learning rate (0.37; the lecture's 0.0001)";
    const weights = "its weights (not the lecture's starting ones)";
    const differs = (spec: RowsSpec, batch?: number) => dataFor(spec, batch).changedLecture?.differs;
    expect(differs(own)).toBeUndefined();
    expect(differs({ ...own, lr: 0.37 })).toEqual([lr]);
    expect(differs({ ...reseeded, layers: [{ ...hidden, units: 3 }, out] })).toEqual(["its hidden layer's units (3; the lecture's 2)"]);
    expect(differs({ ...own, layers: [{ ...hidden, activation: 'tanh' }, out] })).toEqual(["its hidden layer's activation (tanh; the lecture's sigmoid)"]);
    expect(differs({ ...reseeded, layers: [{ ...hidden, bias: 'per-unit' }, out] })).toEqual(["its hidden layer's bias (per-unit; the lecture's shared)"]);
    expect(differs({ ...own, loss: 'bce' })).toEqual(["its loss (bce, mean; the lecture's mse, mean)"]);
    expect(differs(reseeded)).toEqual([weights]);
    expect(differs({ ...own, y: [[0.5]] })).toEqual(['its data']);
    expect(differs({ ...own, layers: [hidden, hidden, out], params: undefined, init: { scheme: 'xavier', seed: 7 } })).toEqual(["its layers (2-2-2-1; the lecture's 2-2-1)"]);
    await s.train(3, () => undefined);
    const trained = s.toSpec();
    expect(differs(trained)).toEqual([weights]);
    // Two at once (η typed on the trained net), by an edit of the lecture preset as by a link of it: both, in order.
    expect(differs({ ...trained, lr: 0.37 })).toEqual([lr, weights]);
    const edited = editedData({ kind: 'lecture', spec: { ...trained, lr: 0.37 }, worked }, false);
    expect(edited.changedLecture).toEqual({ title: worked.title, differs: [lr, weights] });
    // First, before the lecture's text (after it, it fell out of view below a long paragraph: walk49).
    expect(changedLectureLine(edited.changedLecture!, true)).toBe("This net differs from the lecture's in its learning rate (0.37; the lecture's 0.0001) and "
      + `its weights (not the lecture's starting ones), so the Lecture checks do not apply to it. The lecture's text ("${worked.title}") follows:`);
    // A spec without a text of its own (a file named as the lecture): the lecture named alone, no colon before nothing.
    expect(changedLectureLine({ title: worked.title, differs: [lr] }, false)).toBe("This net differs from the lecture's in its learning rate (0.37; the lecture's "
      + `0.0001), so the Lecture checks do not apply to it. (The lecture: "${worked.title}".)`);
    // η typed first (the weights still the lecture's), then trained and Applied unchanged (the Preset menu's net going
    // on: keepsPreset): the list is written anew, its weights too — it said the learning rate alone.
    const lrOnly = { kind: 'custom' as const, spec: { ...trained, lr: 0.37 }, changedLecture: { title: worked.title, differs: [lr] } };
    expect(editedData(lrOnly, true).changedLecture).toEqual({ title: worked.title, differs: [lr, weights] });
    // More than three: the first three and how many more (a bare "…" before ", so" read as a sentence cut off: walk49).
    const many = differs({ ...trained, lr: 0.37, loss: 'bce', layers: [hidden, { ...out, activation: 'tanh' }] })!;
    expect(many).toEqual(["its output layer's activation (tanh; the lecture's sigmoid)", "its loss (bce, mean; the lecture's mse, mean)", lr, weights]);
    expect(lectureDiffers(many)).toBe("differs from the lecture's in its output layer's activation (tanh; the lecture's sigmoid), its loss (bce, mean; "
      + "the lecture's mse, mean), its learning rate (0.37; the lecture's 0.0001) and 1 more");
    s.dispose();
    // lecture-classification: bce (sum), η 0.1, two examples — in batches of 1, or with its loss a mean.
    const two = lecture('lecture-classification').worked;
    expect(differs(structuredClone(two.spec), 1)).toEqual(['its batch size (1 of 2 examples)']);
    expect(differs(structuredClone(two.spec), 2)).toBeUndefined();
    expect(differs({ ...structuredClone(two.spec), reduction: 'mean' })).toEqual(["its loss (bce, mean; the lecture's bce, sum)"]);
    expect(differs({ ...structuredClone(two.spec), lr: 0.37 }, 1)).toEqual(["its learning rate (0.37; the lecture's 0.1)", 'its batch size (1 of 2 examples)']);
    expect(differs({ ...structuredClone(two.spec), x: [[1, 2]], y: [[1]] })).toEqual(["its data (1 example; the lecture's 2)"]);
    // 'identity' is 'linear' by its other name (the editor offers both): lecture-regression's linear layers so named
    // are the lecture's net (its checks stay); another activation still differs.
    const reg = lecture('lecture-regression').worked;
    const renamed = reg.spec.layers.map((layer) => ({ ...layer, activation: 'identity' as const }));
    expect(differs({ ...structuredClone(reg.spec), layers: renamed })).toBeUndefined();
    expect(differs({ ...structuredClone(reg.spec), layers: [renamed[0], { ...renamed[1], activation: 'tanh' }] })).toEqual(["its output layer's activation (tanh; the lecture's linear)"]);
    // The list for the net as it is now (views.ts: after training since the edit that named it): its weights too.
    const t = await LabSession.open(checkLabSpec({ ...structuredClone(worked.spec), lr: 0.37 }), 'cpu', null);
    const named = dataFor(t.toSpec()).changedLecture!;
    expect(named.differs).toEqual([lr]);
    await t.train(2, () => undefined);
    expect(changeNow(named, t.toSpec(), undefined)).toEqual({ title: worked.title, differs: [lr, weights] });
    t.dispose();
  });

  it('a lecture\'s own net is the lecture however it comes — a file, a link, an edit back to it — in full batches only; the Preset menu names it', async () => {
    // The lecture's net as the page shows it (float32 weights, untrained), η edited away and back (the Apply's spec:
    // its weights as they are), each edit from the data the page then had (main.ts load(): editedData of page.data).
    const s = await LabSession.open(checkLabSpec(structuredClone(worked.spec)), 'cpu', null);
    const own = s.toSpec();
    const away = editedData({ kind: 'lecture', spec: { ...own, lr: 0.5 }, worked }, keepsPreset(s.lab, checkLabSpec({ ...own, lr: 0.5 }), true));
    expect(away).toMatchObject({ kind: 'custom', changedLecture: { title: worked.title } });
    expect(presetOfData(away)).toBe('');
    const back = editedData({ ...away, spec: own }, keepsPreset(checkLabSpec({ ...own, lr: 0.5 }), checkLabSpec(own), true));
    expect(back).toMatchObject({ kind: 'lecture', worked: { title: worked.title } });
    expect(presetOfData(back)).toBe(lecture(worked.spec.name!).id);
    // A file or a link of it (dataFor, as file-actions.ts and openLink call it): the lecture, and the menu on it.
    expect(presetOfData(dataFor(own))).toBe(lecture(worked.spec.name!).id);
    // Trained, it is a net of its own (the checks check the lecture's first step): no preset.
    await s.update();
    expect(presetOfData(editedData({ ...back, spec: s.toSpec() }, false))).toBe('');
    s.dispose();
    // A lecture of two examples cut into batches of 1 takes another first step than the lecture's: not the lecture,
    // from a file (importBatchSize's cut) or an edit; in batches of 2 (all of it) it is.
    const two = lecture('lecture-classification').worked;
    expect(dataFor(structuredClone(two.spec), 1)).toMatchObject({ kind: '2d', changedLecture: { title: two.title }, batchSize: 1 });
    expect(dataFor(structuredClone(two.spec), 2)).toMatchObject({ kind: 'lecture', batchSize: 2 });
    const cut = editedData({ kind: '2d', spec: structuredClone(two.spec), batchSize: 1, changedLecture: { title: two.title, differs: ['its batch size (1 of 2 examples)'] } }, false);
    expect([cut.kind, presetOfData(cut)]).toEqual(['2d', '']);
    // Not a lecture: no preset, whatever its data.
    expect(presetOfData(dataFor(xorSpec()))).toBe('');
  });

  it('a share link round-trips a spec, names included', () => {
    const spec = structuredClone(worked.spec);
    const frag = shareFragment(spec);
    expect(frag).toMatch(/^spec=[A-Za-z0-9_-]+$/);
    expect(readFragment(`#${frag}`).spec).toEqual(spec);
    expect(readFragment('#preset=xor')).toEqual({ preset: 'xor' });
    expect(readFragment('')).toEqual({ preset: undefined });
    // The page's own anchors (#main, #more: the skip and tab links without script) are no link either.
    expect(readFragment('#main')).toEqual({});
    expect(readFragment('#more')).toEqual({});
  });

  it('refuses a hand-edited or cut link: an unknown or repeated parameter, batch without fit, a preset with a spec', () => {
    const fit: FitSettings = { optimizer: { name: 'adam', lr: 0.01 }, batchSize: 4, epochs: 20 };
    const frag = `#${shareFragment(xorSpec(), { batchSize: 2, fit })}`;
    expect(checkLink(readFragment(frag)).lab.batchSize).toBe(2);
    expect(() => readFragment(`${frag}&epochs=99`)).toThrow(/^epochs: unknown link parameter; a link is #spec=…&batch=N&fit=… \(&worked=… with a worked example: Copy share link\) or #preset=ID/);
    expect(() => readFragment('#preset=xor&foo=1')).toThrow(/^foo: unknown link parameter/);
    // A link cut after '&fi' leaves an unknown 'fi'; one cut after '&batch=16' has no fit (Share writes both).
    expect(() => readFragment(frag.replace(/&fit=.*$/, '&fi'))).toThrow(/^fi: unknown link parameter/);
    expect(() => readFragment(frag.replace(/&fit=.*$/, ''))).toThrow(/^fit: missing: a link has &batch=N and &fit=… together .*only &batch=/);
    expect(() => readFragment(frag.replace(/&batch=\d+/, ''))).toThrow(/^batch: missing: .*only &fit=/);
    expect(() => readFragment(frag.replace('&batch=2', '&batch=3&batch=2'))).toThrow(/^batch: given 2 times in the link/);
    expect(() => readFragment('#preset=xor&preset=circle')).toThrow(/^preset: given 2 times/);
    expect(() => readFragment(`${frag}&preset=circle`)).toThrow(/^preset: goes alone \(#preset=ID\), not with a #spec= link/);
    // No parameter at all ('#&': it opened the default lecture without a word), or one without a name ('#=x': the
    // error named the field '', "SpecError: : unknown link parameter"): the link is named.
    expect(() => readFragment('#&')).toThrow(new SpecError('link', "has no parameter ('#&'); a link is #spec=…&batch=N&fit=… (&worked=… with a worked example: Copy share link) or #preset=ID — was it edited or cut?"));
    expect(() => readFragment('#&&&')).toThrow(/^link: has no parameter \('#&&&'\)/);
    expect(() => readFragment('#=x')).toThrow(/^link: has a parameter without a name \('=x'\)/);
    expect(() => readFragment(`${frag}&=`)).toThrow(/^link: has a parameter without a name \('='\)/);
    expect(() => readFragment(`#=${'x'.repeat(5000)}`)).toThrow(new RegExp(`^link: has a parameter without a name \\('=${'x'.repeat(40)}…'\\)`));
    // Cut at 40 characters, never half an emoji (a slice of 40 UTF-16 units left a lone surrogate: review50).
    expect(() => readFragment(`#=a${'😀'.repeat(45)}`)).toThrow(`link: has a parameter without a name ('=a${'😀'.repeat(39)}…')`);
    for (const bad of [`${frag}&epochs=99`, frag.replace(/&fit=.*$/, ''), `${frag}&preset=circle`]) {
      expect(() => readFragment(bad)).toThrow(SpecError);
    }
  });

  it('refuses a spec too big for a link, and a garbled link, naming what', () => {
    const big = { ...xorSpec(), description: 'x'.repeat(MAX_SHARE_CHARS) };
    expect(() => shareFragment(big)).toThrow(/share link: .*Export spec JSON/);
    expect(() => readFragment('#spec=!!!notbase64')).toThrow(SpecError);
  });

  it('a share link carries the batch size and the Fit settings; a link without them opens with the defaults', () => {
    const spec = xorSpec();
    const fit: FitSettings = { optimizer: { name: 'momentum', lr: 0.05 }, batchSize: 3, epochs: 7 };
    const frag = shareFragment(spec, { batchSize: 2, fit });
    expect(frag).toMatch(/^spec=[A-Za-z0-9_-]+&batch=2&fit=[A-Za-z0-9_-]+$/);
    const read = readFragment(`#${frag}`);
    expect(read).toEqual({ spec, batchSize: 2, fit });
    const link = checkLink(read);
    expect(link.lab.batchSize).toBe(2);
    expect(link.fit).toEqual(fit);
    // An old link (spec only): full batch, no Fit settings (the panel keeps its defaults for the net).
    const old = checkLink(readFragment(`#${shareFragment(spec)}`));
    expect(old.lab.batchSize).toBe(4);
    expect(old.fit).toBeUndefined();
    // The panel's early stop (patience, keep the best epoch) goes with them; a link without it has it off.
    const stopping: FitSettings = { ...fit, earlyStop: { patience: 3, restoreBest: true } };
    expect(checkLink(readFragment(`#${shareFragment(spec, { batchSize: 2, fit: stopping })}`)).fit).toEqual(stopping);
    expect(checkLink(read).fit?.earlyStop).toBeUndefined();
  });

  it('refuses a link\'s bad batch size or Fit setting by the engine\'s rules, naming the field', () => {
    const spec = xorSpec();
    const good: FitSettings = { optimizer: { name: 'adam', lr: 0.01 }, batchSize: 4, epochs: 20 };
    const open = (batch: string | null, fit: unknown) => () => {
      const enc = Buffer.from(JSON.stringify(fit)).toString('base64url');
      return checkLink(readFragment(`#${shareFragment(spec)}&batch=${batch ?? '4'}&fit=${enc}`));
    };
    // The editor's batch size: digits, as Copy share link writes it, then 1 … N (checkLabSpec).
    for (const typed of ['', 'two', '1.5', '0x2', '2e0', ' 2', '2 ']) {
      expect(open(typed, good)).toThrow(new RegExp(`^batch: must be a whole number in digits \\(Copy share link writes &batch=16\\), got '${typed}'`));
    }
    expect(open('5', good)).toThrow(/^batch: must be an integer 1 … 4/);
    // Digits past any count of examples (400 nines read as Infinity: it said "got Infinity", a word the link does not hold).
    expect(open('9'.repeat(400), good)).toThrow(new SpecError('batch', "is 400 digits long, more than any data set's examples (Copy share link writes &batch=16)"));
    expect(open('9007199254740993', good)).toThrow(/^batch: is 16 digits long/);
    expect(open('9007199254740991', good)).toThrow(/^batch: must be an integer 1 … 4 \(the examples in x\), got 9007199254740991$/);
    expect(open('0', good)).toThrow(/^batch: must be an integer 1 … 4/);
    // Fit: the engine's checks (checkFit / resolveOptimizer), named under fit.
    expect(open(null, { ...good, batchSize: 5 })).toThrow(/^fit\.batchSize: is 5, more than the 4 examples/);
    expect(open(null, { ...good, batchSize: 0 })).toThrow(/^fit\.batchSize: must be a positive integer/);
    expect(open(null, { ...good, epochs: 2.5 })).toThrow(/^fit\.epochs: must be a positive integer/);
    // Epochs at most the Fit panel's (its field's max): 1e9 would run for hours.
    expect(open(null, { ...good, epochs: 1e9 })).toThrow(/^fit\.epochs: must be an integer 1 … 10000 \(the Fit panel's most\), got 1000000000/);
    expect(open(null, { ...good, epochs: 10_001 })).toThrow(/^fit\.epochs: must be an integer 1 … 10000/);
    expect(open(null, { ...good, epochs: 10_000 })().fit?.epochs).toBe(10_000);
    expect(open(null, { ...good, optimizer: { name: 'lbfgs', lr: 0.01 } })).toThrow(/^fit\.optimizer\.name: must be one of 'sgd'/);
    expect(open(null, { ...good, optimizer: { name: 'adam', lr: -1 } })).toThrow(/^fit\.optimizer\.lr: must be ≥ 0, got -1/);
    expect(open(null, { ...good, optimizer: { name: 'adam', lr: '0.1' } })).toThrow(/^fit\.optimizer\.lr: must be a number/);
    // Early stop: {patience, restoreBest}, patience whole 1 … the panel's epochs (its 0 is off: no earlyStop written).
    const stop = (earlyStop: unknown) => open(null, { ...good, earlyStop });
    expect(stop({ patience: 0, restoreBest: true })).toThrow(/^fit\.earlyStop\.patience: must be an integer 1 … 10000/);
    expect(stop({ patience: 1.5, restoreBest: true })).toThrow(/^fit\.earlyStop\.patience: must be an integer 1 … 10000/);
    expect(stop({ patience: 2, restoreBest: 'yes' })).toThrow(new SpecError('fit.earlyStop.restoreBest', 'must be true or false, got "yes"'));
    expect(stop({ patience: 2 })).toThrow(/^fit\.earlyStop\.restoreBest: missing; the Fit panel has \{patience, restoreBest\}/);
    expect(stop({ patience: 2, restoreBest: false, monitor: 'loss' })).toThrow(/^fit\.earlyStop\.monitor: unknown/);
    expect(stop(3)).toThrow(/^fit\.earlyStop: must be \{patience, restoreBest\}, got 3/);
    expect(stop({ patience: 10_000, restoreBest: false })().fit?.earlyStop).toEqual({ patience: 10_000, restoreBest: false });
    // The panel's shape: no key it has no field for, none missing.
    expect(open(null, { ...good, shuffle: false })).toThrow(/^fit\.shuffle: unknown key/);
    expect(open(null, { ...good, optimizer: { name: 'momentum', lr: 0.1, momentum: 0.5 } })).toThrow(/^fit\.optimizer\.momentum: unknown key/);
    expect(open(null, { optimizer: good.optimizer, batchSize: 4 })).toThrow(/^fit\.epochs: missing/);
    expect(open(null, [1])).toThrow(/^fit: must be \{optimizer/);
    // Every refusal is a SpecError; a fit that is not base64url JSON, or settings without a spec, too.
    expect(open('9', good)).toThrow(SpecError);
    expect(() => readFragment(`#${shareFragment(spec)}&batch=2&fit=!!!`)).toThrow(/^fit: the &fit= part is not base64url JSON/);
    expect(() => readFragment('#preset=xor&batch=2')).toThrow(/^batch: goes with a #spec= link/);
  });

  it('the Fit lr follows the optimiser only while it is the default of the optimiser it was set for (a link\'s too)', () => {
    // The net's lr 0.5 (SGD's and momentum's default); Adam's and AdamW's is 0.01 (README).
    const at = (name: OptimizerName, specLr = 0.5) => ({ name, specLr });
    expect(defaultFitLr('sgd', 0.5)).toBe(0.5);
    expect(defaultFitLr('adamw', 0.5)).toBe(0.01);
    // The reviewer's case B: SGD with lr 0.01 typed (not SGD's default), then momentum: the lr stays. Taken as
    // Adam's default (the restore's old basis) it became 0.5, 50 × the instructor's.
    expect(nextFitLr('0.01', at('sgd'), at('momentum'))).toBe('0.01');
    expect(nextFitLr('0.01', at('adam'), at('momentum'))).toBe('0.5');
    // Case C: momentum at its default 0.5, then Adam: Adam's 0.01, as on the page that made the link.
    expect(nextFitLr('0.5', at('momentum'), at('adam'))).toBe('0.01');
    expect(nextFitLr('0.5', at('adam'), at('adamw'))).toBe('0.5');
    // The default as a number ("0.50" is 0.5); an empty field is no default (Number('') is 0), it stays.
    expect(nextFitLr('0.50', at('sgd'), at('adam'))).toBe('0.01');
    expect(nextFitLr('', at('sgd', 0), at('adam', 0))).toBe('');
    // The net's lr edited (same shapes): SGD's default follows it; an lr typed stays.
    expect(nextFitLr('0.5', at('sgd'), at('sgd', 0.3))).toBe('0.3');
    expect(nextFitLr('0.2', at('sgd'), at('sgd', 0.3))).toBe('0.2');
  });

  it('training is unsaved after a step until Export or Share marks it; a fresh or Reset net has none', async () => {
    const s = await LabSession.open(checkLabSpec(xorSpec()), 'cpu', null);
    expect(unsavedTraining(s, null)).toBe(false);
    await s.update();
    expect(unsavedTraining(s, null)).toBe(true);
    let mark = saveMark(s);
    expect(unsavedTraining(s, mark)).toBe(false);
    await s.train(3, () => {});
    expect(unsavedTraining(s, mark)).toBe(true);
    mark = saveMark(s);
    await s.reset();
    expect(unsavedTraining(s, mark)).toBe(false);
    // As many steps again after Reset: another curve, so not the one saved.
    await s.update();
    await s.train(3, () => {});
    expect(unsavedTraining(s, mark)).toBe(true);
    s.dispose();
  });

  it('a running Fit is unsaved training from its first mini-batch (its steps are counted at its end), and one stopped before an epoch ended', async () => {
    const d = generate2D('circle', 40, 3);
    const spec: RowsSpec = {
      inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce',
      init: { scheme: 'xavier', seed: 4 }, x: d.x, y: d.y, lr: 0.5,
    };
    const s = await LabSession.open(checkLabSpec(spec), 'cpu', null);
    const fresh = saveMark(s);
    expect(unsavedTraining(s, null)).toBe(false);
    // A Fit refused (lr −1), or stopped before its first step (aborted at once), ran nothing: nothing to lose.
    await expect(s.fit({ optimizer: { name: 'adam', lr: -1 }, batchSize: 8, epochs: 3 }, () => {})).rejects.toMatchObject({ field: 'optimizer.lr' });
    const ac = new AbortController();
    ac.abort();
    await s.fit({ optimizer: { name: 'adam', lr: 0.02 }, batchSize: 8, epochs: 3 }, () => {}, ac.signal);
    expect([s.fits, unsavedTraining(s, null)]).toEqual([0, false]);
    // During the fit (the page's beforeunload runs between its epochs): steps is still 0, the weights have moved.
    const during: boolean[][] = [];
    await s.fit({ optimizer: { name: 'adam', lr: 0.02 }, batchSize: 8, epochs: 3 }, () => {
      during.push([unsavedTraining(s, null), unsavedTraining(s, fresh)]);
    });
    expect(during).toEqual([[true, true], [true, true], [true, true]]);
    expect(unsavedTraining(s, fresh)).toBe(true);
    // Saved after the fit. A fit started since (running before its first epoch ends, or stopped then: no point
    // added, steps unchanged, the weights moved) is unsaved again.
    const saved = saveMark(s);
    expect(unsavedTraining(s, saved)).toBe(false);
    expect(unsavedTraining({ steps: s.steps, history: s.history, fits: s.fits + 1 }, saved)).toBe(true);
    expect(unsavedTraining({ steps: 0, history: [], fits: 1 }, null)).toBe(true);
    // A switch keeps it (continueFrom), Reset clears it.
    const t = await LabSession.open(checkLabSpec(spec), 'cpu', null);
    await t.continueFrom(s);
    expect(t.fits).toBe(1);
    await s.reset();
    expect(unsavedTraining(s, null)).toBe(false);
    for (const x of [s, t]) x.dispose();
  });

  it('reads a spec file or a worked-example file, and names a file that is not JSON', () => {
    const spec = structuredClone(worked.spec);
    expect(parseSpecFile(JSON.stringify(spec), 'a.json')).toEqual(spec);
    expect(parseSpecFile(JSON.stringify(worked), 'w.json')).toEqual(worked.spec);
    expect(() => parseSpecFile('{nope', 'bad.json')).toThrow(/^bad\.json: is not JSON/);
    // A hand-made worked example {spec, claims} without its format: missing, not "got undefined".
    const { format: _format, ...noFormat } = worked;
    expect(() => parseSpecFile(JSON.stringify(noFormat), 'w.json')).toThrow(new ClaimError('format', 'missing: a worked-example file gives its format, "format": "backprop-worked-example/1"'));
    expect(() => parseSpecFile(JSON.stringify({ ...worked, format: 'backprop-worked-example/2' }), 'w.json')).toThrow(/^format: must be "backprop-worked-example\/1", got "backprop-worked-example\/2"$/);
    expect(fileName('MNIST: 784-32-10', 'json')).toBe('mnist-784-32-10.json');
    expect(fileName(undefined, 'csv')).toBe('network.csv');
  });

  it('checks an imported file by the engine\'s rules before the page reads it: a typed error naming the field, not a TypeError', () => {
    const spec = xorSpec();
    const onPage = { spec: { ...spec, name: 'lecture-2-2-1' }, batchSize: 1 };
    const imported = (raw: unknown) => () => importedData(JSON.stringify(raw), 'f.json', onPage);
    // JSON null, and a y that is not rows: dataFor and importBatchSize read them (null.name, y.every) before load() checked.
    expect(imported(null)).toThrow(new SpecError('spec', 'must be a JSON object'));
    expect(imported({ ...spec, y: 'ab' })).toThrow(ShapeError);
    expect(imported({ ...spec, y: 'ab' })).toThrow(/^y: /);
    expect(imported({ ...spec, y: [1, 0, 1, 0] })).toThrow(/^y\[0\]: /);
    expect(imported({ ...spec, y: [null, [1], [1], [0]] })).toThrow(/^y\[0\]: /);
    // A lecture's name: its differences from the lecture (changeFrom) read layers and params.
    const lecture = { ...spec, name: 'lecture-2-2-1' };
    expect(imported({ ...lecture, layers: 5 })).toThrow(/^layers: must be a non-empty array/);
    expect(imported({ ...lecture, layers: [null, { units: 1, activation: 'sigmoid' }] })).toThrow(/^layers\[0\]: must be an object/);
    expect(imported({ ...lecture, init: undefined, params: { W: 3, b: [] } })).toThrow(/^params\.W: /);
    for (const raw of [null, { ...spec, y: 'ab' }, { ...lecture, layers: 5 }]) expect(imported(raw)).not.toThrow(TypeError);
    // A good file: the data the page loads, with the batch size of the net on the page kept only for that net (importBatchSize).
    expect(importedData(JSON.stringify(spec), 'xor.json', onPage)).toMatchObject({ kind: '2d', spec, batchSize: undefined });
    expect(importedData(JSON.stringify(lecture), 'xor.json', onPage)).toMatchObject({ spec: lecture, batchSize: 1 });
  });

  it('names a checkpoint imported as a spec (as the CLI does), and reads a spec file\'s bytes as Blob.text() would', async () => {
    const spec = xorSpec();
    const model = await Model.create(spec, { backend: 'cpu' });
    const checkpoint = await model.save();
    model.dispose();
    // Decoded as text it was "xor.ckpt: is not JSON: Unexpected token '@', "@\u0004\u0000…"", its header's bytes shown.
    expect(() => importedData(checkpoint, 'xor.ckpt', null)).toThrow(new SpecError('xor.ckpt', "is a safetensors checkpoint (as Model.save and backprop train --save write), not a spec file: the lab imports a spec's JSON (Export spec JSON writes one; Model.load loads a checkpoint)"));
    // The same spec as UTF-8 bytes, with a byte-order mark or without, loads; bytes that are not JSON are named as text is.
    const utf8 = new TextEncoder().encode(JSON.stringify(spec));
    expect(importedData(utf8, 'xor.json', null).spec).toEqual(spec);
    expect(importedData(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]), 'bom.json', null).spec).toEqual(spec);
    // A Windows "Unicode" save (UTF-16 with its byte-order mark), little- or big-endian, as Blob.text() read it.
    const text = JSON.stringify(spec);
    const utf16 = (le: boolean) => new Uint8Array([...(le ? [0xff, 0xfe] : [0xfe, 0xff]), ...[...text].flatMap((c) => (le ? [c.charCodeAt(0), 0] : [0, c.charCodeAt(0)]))]);
    expect(importedData(utf16(true), 'le.json', null).spec).toEqual(spec);
    expect(importedData(utf16(false), 'be.json', null).spec).toEqual(spec);
    expect(() => importedData(new Uint8Array([0, 1, 2, 255]), 'bin.json', null)).toThrow(/^bin\.json: is not JSON/);
    expect(() => importedData(new Uint8Array(), 'empty.json', null)).toThrow(/^empty\.json: is not JSON/);
    // Its bytes read as Your data's are: a file that cannot be read is named.
    expect(await fileBytes({ name: 'a.json', arrayBuffer: async () => utf8.buffer })).toEqual(utf8);
    await expect(fileBytes({ name: 'gone.json', arrayBuffer: () => Promise.reject(new Error('gone')) })).rejects.toThrow(new SpecError('gone.json', 'could not be read (gone); choose it again'));
  });

  it('the loss curve as CSV, and round ticks', () => {
    expect(lossCsv([{ step: 0, loss: 0.5 }, { step: 9, loss: 0.25 }])).toBe('step,loss\n0,0.5\n9,0.25\n');
    expect(ticks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(0, 200)).toEqual([0, 50, 100, 150, 200]);
    // The step axis: whole steps only (one Update gives a curve over steps 0 … 1, which ticks marks 0, 0.2, … 1).
    expect(stepTicks(0, 1)).toEqual([0, 1]);
    expect(stepTicks(5, 8)).toEqual([5, 6, 7, 8]);
    expect(stepTicks(0, 200)).toEqual([0, 50, 100, 150, 200]);
    // Log axis: powers of ten over ≥ 2 decades; within one, round values: (0.69 − 0.32)/5 = 0.074 → step 0.1 → 0.4, 0.5, 0.6.
    expect(logTicks(-3, 0)).toEqual([-3, -2, -1, 0]);
    expect(logTicks(Math.log10(0.32), Math.log10(0.69)).map((t) => Number((10 ** t).toPrecision(6)))).toEqual([0.4, 0.5, 0.6]);
  });

  it('the empty loss chart (after a Reset) writes its line left-aligned from the plot\'s left, whatever the last curve left in the context', () => {
    // A 2-D context that keeps its state across draws, as a canvas of unchanged size does, and records each fillText
    // with the alignment it was drawn with; every other call does nothing.
    const state: Record<string | symbol, unknown> = {};
    const texts: { text: string; x: number; align: unknown; baseline: unknown }[] = [];
    const ctx = new Proxy(state, {
      get: (t, k) => (k in t ? t[k] : k === 'fillText'
        ? (text: string, x: number) => texts.push({ text, x, align: t.textAlign, baseline: t.textBaseline })
        : k === 'measureText' ? (text: string) => ({ width: 6 * text.length }) : () => undefined),
      set: (t, k, v) => { t[k] = v; return true; },
    });
    const canvas = { width: 300, height: 200, getContext: () => ctx, getBoundingClientRect: () => ({ width: 300, height: 200 }), style: { setProperty: () => undefined }, setAttribute: () => undefined };
    const chart = new LossChart(canvas as unknown as HTMLCanvasElement);
    chart.draw([], 'wasm');
    const fresh = texts.at(-1)!;
    chart.draw([{ step: 0, loss: 0.7 }, { step: 100, loss: 0.2 }], 'wasm');
    chart.draw([], 'wasm');
    // It was drawn centred on x = 58 (the step axis's alignment), its first ~120 px cut off at the canvas's edge.
    expect(texts.at(-1)).toEqual(fresh);
    expect(fresh).toMatchObject({ text: 'Train (or Update) to draw the loss curve.', align: 'left', baseline: 'alphabetic' });
  });

  it("the views' counted sentences agree with their counts: '1 is an erratum', 'its one example'", () => {
    // lecture-2-2-1-nobias and relu-exercise have one erratum each: it read "1 are errata".
    expect(checksSummary(12, { match: 11, erratum: 1, wrong: 0 })).toMatch(/^12 printed values and formulas: 11 match, 1 is an erratum \(the lecture as transcribed is wrong; the engine gives the right value\), 0 unexplained/);
    // An erratum with a doubt (lecture 004's J = 1 rests on a garbled OCR) is wrong as transcribed only (review i38 #4).
    expect(checksSummary(15, { match: 14, erratum: 1, wrong: 0, doubted: 1 })).toContain('1 is an erratum (the lecture as transcribed is wrong; the engine gives the right value; it has a doubt: the notes may be right after all, a misread OCR or a truncation — see its Doubt), 0 unexplained');
    expect(checksSummary(93, { match: 80, erratum: 13, wrong: 0, doubted: 3 })).toContain('; 3 of them have a doubt: the notes may be right after all');
    expect(checksSummary(10, { match: 8, erratum: 2, wrong: 0, doubted: 2 })).toContain('2 are errata (the lecture as transcribed is wrong; the engine gives the right value; all have a doubt: ');
    expect(checksSummary(77, { match: 65, erratum: 12, wrong: 0 })).toMatch(/^77 printed values and formulas: 65 match, 12 are errata .* 0 unexplained\./);
    expect(checksSummary(1, { match: 1, erratum: 0, wrong: 0 })).toMatch(/^1 printed value or formula: 1 matches, 0 are errata/);
    // The Output table: it read "first 1 of 1 examples".
    expect(examplesShown(1, 1)).toBe('its one example');
    expect(examplesShown(3, 3)).toBe('all 3 examples');
    expect(examplesShown(8, 200)).toBe('first 8 of 200 examples');
    expect(examplesShown(1, 5)).toBe('the first of 5 examples');
    // The Data summary of your data: a small file's one validation row read "+ 1 validation rows".
    expect(dataSummary({ from: 'tiny.csv', examples: 5, validation: 1, inputs: 2, task: '2 classes (BCE)', plan: 'full batch' }))
      .toBe('tiny.csv: 5 examples + 1 validation row, 2 inputs, 2 classes (BCE); full batch.');
    expect(dataSummary({ from: 'clouds.csv', examples: 96, validation: 24, inputs: 2, task: '2 classes (BCE)', plan: 'full batch' }))
      .toBe('clouds.csv: 96 examples + 24 validation rows, 2 inputs, 2 classes (BCE); full batch.');
    expect(dataSummary({ examples: 1, validation: 0, inputs: 1, task: 'regression (MSE)', plan: 'full batch' })).toBe('1 example, 1 input, regression (MSE); full batch.');
    expect([count(1, 'held-out row'), count(0, 'held-out row'), count(2, 'held-out row')]).toEqual(['1 held-out row', '0 held-out rows', '2 held-out rows']);
    // Verify on a lecture net of one example: it read "over one forward and backward pass of 1 example(s)".
    const report = { loss: 0, Z: 1.2e-7, A: 6e-8, delta: 1.5e-8, dW: 1.5e-8, db: 1.5e-8, max: 1.19e-7, n: 1, against: 'webgpu' as const };
    // It names what it compared (it read "max |GPU − CPU|" on SwiftShader too): the adapter as the page's sentence does.
    const swiftshader = { available: true, vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: true };
    expect(verifyLine(report, swiftshader)).toBe('WebGPU (the adapter is SwiftShader, a GPU emulated on the CPU) against the CPU: max |WebGPU − CPU| = 1.19e-7 over one forward and backward pass of 1 example (loss 0.0e+0, Z 1.2e-7, A 6.0e-8, δ 1.5e-8, dW 1.5e-8, db 1.5e-8).');
    const gpu = { available: true, vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100', isFallbackAdapter: false };
    expect(verifyLine(report, gpu)).toMatch(/^WebGPU \(the adapter is NVIDIA H100\) against the CPU: max \|WebGPU − CPU\| = 1\.19e-7 /);
    expect(verifyLine({ ...report, n: 200, against: 'wasm' }, swiftshader)).toMatch(/^WebAssembly SIMD against the CPU: max \|wasm − CPU\| = 1\.19e-7 over one forward and backward pass of 200 examples \(/);
  });

  it('the Training lines: "(stopped)" only for a run cut short; a failed Train counts the steps the net kept', () => {
    // A Stop pressed after the last chunk or epoch had finished stopped nothing: it read "200 steps … (stopped)".
    expect(stoppedMark(200, 200)).toBe('');
    expect(stoppedMark(20, 20)).toBe('');
    expect(stoppedMark(137, 200)).toBe(' (stopped)');
    expect(stoppedMark(0, 20)).toBe(' (stopped)');
    // A diverged chunk: the chunks before it stay trained, as many as the progress said (README's lecture net at η = 1).
    expect(trainStopped({ kept: 1, ran: 1, asked: 200, where: 'WebAssembly SIMD' }).line).toBe('Train stopped after 1 of 200 steps on WebAssembly SIMD');
    // A device lost mid-Train of a big net (nothing read back between chunks): the 11 steps it ran are gone with the
    // device (session.ts forgetSteps). It said "after 11 of 100 steps" while the net went on from the weights before.
    expect(trainStopped({ kept: 0, ran: 11, asked: 100, where: 'WebGPU' }).line).toBe('Train stopped after 0 of 100 steps on WebGPU (11 more steps ran, lost with the device)');
    expect(trainStopped({ kept: 0, ran: 1, asked: 1, where: 'WebGPU' }).line).toBe('Train stopped after 0 of 1 step on WebGPU (1 more step ran, lost with the device)');
    expect(trainStopped({ kept: 0, ran: 1, asked: 100, where: 'WebGPU' }).line).toBe('Train stopped after 0 of 100 steps on WebGPU (1 more step ran, lost with the device)');
    // Every step kept (the last chunk had run when its GPU error scopes caught an error): failed once they had run, as
    // Fit's line says it (it said "Train stopped after 100 of 100 steps").
    expect(trainStopped({ kept: 100, ran: 90, asked: 100, where: 'WebGPU' }).line).toBe('Train failed on WebGPU once its 100 steps had run (the net keeps them)');
    expect(trainStopped({ kept: 1, ran: 0, asked: 1, where: 'WebGPU' }).line).toBe('Train failed on WebGPU once its 1 step had run (the net keeps them)');
    expect(trainStopped({ kept: 99, ran: 90, asked: 100, where: 'WebGPU' }).line).toBe('Train stopped after 99 of 100 steps on WebGPU');
    // The progress bar under the line shows the count it gives: the steps kept, not those that ran (11 stayed on the bar
    // under "after 0 of 100 steps … (11 more steps ran, lost with the device)"); every step kept fills it.
    const bar = (kept: number, ran: number, asked: number) => trainStopped({ kept, ran, asked, where: 'WebGPU' }).bar;
    expect([bar(0, 11, 100), bar(0, 1, 1), bar(1, 1, 200), bar(99, 90, 100), bar(100, 90, 100)]).toEqual([0, 0, 1, 99, 100]);
    // A failed Fit: in the epoch after those finished (Model.fit put the weights back); one whose every epoch ran before
    // its error scopes caught a GPU error is kept (session.ts fit), and said "Fit stopped in epoch 4 of 3".
    expect(fitStoppedLine({ done: 1, asked: 3, kept: false, where: 'WebGPU' })).toBe('Fit stopped in epoch 2 of 3 on WebGPU');
    expect(fitStoppedLine({ done: 3, asked: 3, kept: false, where: 'WebGPU' })).toBe('Fit stopped in epoch 3 of 3 on WebGPU');
    expect(fitStoppedLine({ done: 3, asked: 3, kept: true, where: 'WebGPU' })).toBe('Fit failed on WebGPU once its 3 epochs had run (the net keeps them)');
    expect(fitStoppedLine({ done: 1, asked: 1, kept: true, where: 'WebGPU' })).toBe('Fit failed on WebGPU once its 1 epoch had run (the net keeps them)');
    // A net going on after a Fit whose state could not go on (session.ts continueFrom): the stage line says the next Fit
    // starts afresh, and why; nothing where the state went on or there was none.
    expect(fitRestartedNote(null)).toBe('');
    expect(fitRestartedNote('another net')).toBe(" Fit starts afresh: the optimiser's state (momentum, Adam's moments) and the epoch count belonged to the net before the edit.");
    expect(fitRestartedNote('device lost')).toBe(" Fit starts afresh: the optimiser's state (momentum, Adam's moments) and the epoch count were lost with the GPU device.");
  });

  it('tick labels never repeat: the log axis of the lecture after Train 200 (loss 0.27481 → 0.27414) and of XOR (0.69316 → 0.69315)', () => {
    // What the chart does for the log axis: ticks in log₁₀ units, labelled at their values (3 digits at least).
    const logLabels = (lo: number, hi: number) => tickLabels(logTicks(Math.log10(lo), Math.log10(hi)).map((t) => 10 ** t), 3);
    // (0.27481 − 0.27414)/5 = 1.3e-4 → step 2e-4: 0.2742 … 0.2748, which at 3 digits read 0.274, 0.274, 0.275, 0.275.
    expect(logLabels(0.27414, 0.27481)).toEqual(['0.2742', '0.2744', '0.2746', '0.2748']);
    // 1e-5 / 5 = 2e-6 → step 2e-6: 0.693152 … 0.69316 (10^log₁₀(0.69315) comes back a hair above 0.69315, so the
    // first tick is the next), all 0.693 at 3 digits.
    expect(logLabels(0.69315, 0.69316)).toEqual(['0.693152', '0.693154', '0.693156', '0.693158', '0.69316']);
    // Labels that differ at 3 digits keep 3 (0.4, 0.5, 0.6; powers of ten), and the linear axis its 4.
    expect(logLabels(0.32, 0.69)).toEqual(['0.4', '0.5', '0.6']);
    expect(tickLabels(logTicks(-3, 0).map((t) => 10 ** t), 3)).toEqual(['0.001', '0.01', '0.1', '1']);
    expect(tickLabels(ticks(0, 1), 4)).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
    expect(tickLabels([0.27415, 0.27416], 4)).toEqual(['0.27415', '0.27416']);
  });
});
