/**
 * The lab's files and links: export the spec (the CLI's format), import one, copy a share link (the spec, the
 * batch size and the Fit settings), export the loss curve as CSV or PNG, the diagram as SVG (diagram-export.ts) and the Output's plot as PNG
 * (output-png.ts),
 * open the Your data dialog (import-panel.ts). The formats, and what the page knows about a spec that came from a file or a link (dataFor;
 * main.ts reads the link's fragment at start), are files.ts. Export and Share mark the training as saved
 * (page.saved: no leave-page warning until the next step).
 */
import { COPY_BOX, copyBox, shownBox } from './copy-formula.ts';
import { diagramSvgFile } from './diagram-export.ts';
import { $, announce } from './dom.ts';
import { checkFitSettings, fileBytes, fileName, importedData, ownWorked, saveMark, shareLink } from './files.ts';
import { isFramed, shareLine } from './framed.ts';
import { ImportPanel } from './import-panel.ts';
import { lossCsv } from './loss-chart.ts';
import { outputFileName, outputPng } from './output-png.ts';
import { page, type RunAction } from './page.ts';
import type { PresetData } from './presets.ts';
import { fitSettings } from './training.ts';
import { chart, diagram, drawAll } from './views.ts';

/** Save a blob as a file (a temporary link clicked). */
function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The class of Share's box where the clipboard is refused in a frame: the Notation tab's copy box's (style.css); in
 * the Device & files tab, after its line (filesLine removes it with the line it belongs to).
 */
export const SHARE_BOX = COPY_BOX;

/**
 * The Device & files line (#files-out) says `text`; the box a refused Share left under it (SHARE_BOX) goes with the
 * line it was under ("the link is selected in the box below"): it stayed under Export's, Import's or Diagram SVG's
 * line, or a later Share's that copied, until a new net loaded. Every writer of the line goes through here (main.ts too).
 * The line is a live region: the same words again (Diagram SVG pressed twice) change it (dom.ts announce), so they are
 * heard again (the second press was silent); an empty line stays empty.
 */
export function filesLine(text: string): void {
  const line = $('files-out');
  if (text === '') line.textContent = '';
  else announce(line, text);
  shownBox(line.parentElement!, SHARE_BOX)?.remove();
}

/** main.ts's load(): validate and open a net (on error nothing changes). */
export type LoadNet = (next: PresetData, why: string) => Promise<void>;

/** Your data, Export, Import, Copy share link, and the loss curve's CSV and PNG. */
export function wireFiles(run: RunAction, load: LoadNet): void {
  const importPanel = new ImportPanel(async (next, file) => {
    let failure: unknown;
    let ran = false;
    const busy = document.body.dataset.busy;
    await run('Your data', async () => {
      ran = true;
      try {
        await load(next, `your data: ${file}`); // the Preset menu on "(your own data or net)" (main.ts load())
      } catch (err) {
        failure = err;
        throw err;
      }
    });
    if (failure) throw failure;
    // run() drops an action while another runs (a second click on Train on this data, the move after a lost GPU
    // device): the dialog closed as if the data were loaded, and nothing was.
    if (!ran) throw new Error(`nothing was loaded: the page was busy (${busy ?? 'another action'}); press Train on this data again`);
  });
  $('open-import').addEventListener('click', () => importPanel.open());

  $('export-spec').addEventListener('click', () => void run('Export', async () => {
    const spec = page.session!.toSpec();
    download(fileName(spec.name, 'json'), new Blob([JSON.stringify(spec, null, 1) + '\n'], { type: 'application/json' }));
    page.saved = saveMark(page.session!);
    filesLine(`Saved ${fileName(spec.name, 'json')}: the CLI reads it (npx backprop grad ${fileName(spec.name, 'json')}).`);
  }));
  $('import-spec').addEventListener('change', () => void run('Import', async () => {
    const input = $<HTMLInputElement>('import-spec');
    const file = input.files?.[0];
    if (!file) return;
    input.value = '';
    // Checked before the page reads it (importedData). load() puts the Preset menu on "(your own data or net)", as after
    // your data or a link (device.ts keepsPreset), or on the lecture whose own net the file is (dataFor; presets.ts presetOfData).
    const data = importedData(await fileBytes(file), file.name, page.data);
    await load(data, `imported ${file.name}`);
    drawAll();
    const claims = data.worked && data.workedFile !== undefined ? data.worked.claims.length : 0;
    filesLine(claims > 0 ? `Loaded ${file.name}: your worked example, its ${claims === 1 ? 'claim' : `${claims} claims`} checked under Lecture checks.` : `Loaded ${file.name}.`);
  }));
  $('share').addEventListener('click', () => void run('Share', async () => {
    const s = page.session!;
    // The Fit settings as a link's are checked when it opens: a link that would not open is not made.
    const fit = checkFitSettings(s.lab, fitSettings());
    // An opened worked example goes in the link with the net (its claims checked where the link opens), or, too long, is said left out.
    const link = shareLink(s.toSpec(), { batchSize: s.lab.batchSize, fit }, ownWorked(page.data), page.data?.validation?.x.length);
    const url = `${location.origin}${location.pathname}#${link.fragment}`;
    // In the address bar until another net is loaded (main.ts load() takes it off: a reload opened the old net). In a
    // frame (a course page's iframe) the address bar is the course page's: the link is the frame's own, seen nowhere.
    history.replaceState(null, '', url);
    page.saved = saveMark(s);
    const framed = isFramed();
    let copied = true;
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      copied = false;
    }
    filesLine(shareLine(copied, framed, link.leftOut ?? ''));
    // Refused in a frame (its iframe without allow="clipboard-write"): the link selected in a box to copy by hand; it
    // said "The link is in the address bar", the course page's address there.
    if (!copied && framed) copyBox($('files-out').parentElement!, SHARE_BOX, 'The share link', url);
  }));
  $('export-csv').addEventListener('click', () => {
    download(fileName(`${page.session?.lab.spec.name ?? 'loss'}-loss`, 'csv'), new Blob([lossCsv(page.session?.history ?? [])], { type: 'text/csv' }));
  });
  $('export-png').addEventListener('click', () => void run('Export PNG', async () => {
    download(fileName(`${page.session?.lab.spec.name ?? 'loss'}-loss`, 'png'), await chart.png());
  }));
  // The Output's plot as drawn now (output-png.ts), light whatever the page's colours; the button is off where there is none.
  $('output-png').addEventListener('click', () => void run('Output PNG', async () => {
    const file = outputFileName(page.session?.lab.spec.name);
    download(file, await outputPng());
    filesLine(`Saved ${file}: the Output's plot as drawn now, for slides.`);
  }));
  // The diagram as drawn now (its values, layout and strips; nothing selected), light whatever the page's colours.
  $('export-svg').addEventListener('click', () => void run('Diagram SVG', async () => {
    const model = diagram.shownModel();
    if (!model) return;
    const name = page.session?.lab.spec.name;
    const file = fileName(`${name ?? 'network'}-diagram`, 'svg');
    download(file, new Blob([diagramSvgFile(model, name)], { type: 'image/svg+xml' }));
    filesLine(`Saved ${file}: the diagram as drawn now, for slides.`);
  }));
}
