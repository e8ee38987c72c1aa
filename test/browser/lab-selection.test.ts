/**
 * The lab's selection line on the page (src/lab/views.ts: the diagram's onSelect writes #selection-out with dom.ts
 * announce): Enter on a weight says it is selected, and Enter again on that same weight says it again — a change to
 * the status line a screen reader reads (it heard nothing: no line said what was selected). The words are written
 * from the page's hint, "its chain rule is under Notation"; w6 is the 2-2-1 lecture's second output weight. And a
 * comma typed into a learning rate (src/lab/keyboard.ts decimalComma): what the field then holds, as typed keys.
 */
import { describe, expect, it } from 'vitest';
import { idle, openLab, useLab } from './lab-lib.ts';

useLab('selection');

describe('the selection line', () => {
  it('Enter on w6, then Enter on w6 again: the status line says "w6 selected" both times, changed each time', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    const out = () => page.$eval('#selection-out', (e) => ({ raw: e.textContent ?? '', role: e.getAttribute('role') }));
    expect((await out()).role).toBe('status');
    await page.$eval('#diagram [data-param="W[1][0][1]"]', (e) => (e as SVGElement).focus());
    await page.keyboard.press('Enter');
    await idle(page);
    const first = await out();
    expect(first.raw.trim()).toBe('w6 selected: its chain rule is under Notation.');
    // The redraw keeps the focus on w6: Enter again on the weight already selected.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-param'))).toBe('W[1][0][1]');
    await page.keyboard.press('Enter');
    await idle(page);
    const second = await out();
    expect(second.raw.trim()).toBe('w6 selected: its chain rule is under Notation.');
    expect(second.raw, 'rewritten as a change').not.toBe(first.raw);
    expect(errors).toEqual([]);
  });

  it('a comma typed into Fit\'s lr is its decimal point: "0,05" reads 0.05 (Chromium dropped the comma: 005, lr 5)', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    const type = async (id: string, text: string): Promise<string> => {
      await page.$eval(`#${id}`, (i) => { (i as HTMLInputElement).value = ''; });
      await page.focus(`#${id}`);
      await page.keyboard.type(text);
      return page.$eval(`#${id}`, (i) => (i as HTMLInputElement).value);
    };
    expect(await type('fit-lr', '0,05')).toBe('0.05');
    // A whole-number field keeps the browser's reading, the comma a thousands separator.
    expect(await type('fit-epochs', '1,000')).toBe('1000');
    expect(errors).toEqual([]);
  });
});
