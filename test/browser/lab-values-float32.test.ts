/**
 * The lab prints a backend's float32 values at the digits float32 holds (src/lab/views.ts drawValues, through
 * fmtStored): lecture 003 (regression)'s loss, 1370.444953 in float64 (1370.44507 in float32), is "L = 1370.445" on
 * the Loss, Backward and Update stage lines, not 1370.4451 (a 4th decimal float32 does not hold, and one the hand work,
 * 1370.4450, disagrees with); the Update table's ∂L/∂w¹₁₁, −101.8594 by hand (float32 −101.8594055), is "−101.8594".
 * Lecture 000's bias, ≥ 1 (3.906138481), before and after the step likewise. Hand values: a float64 script of the lecture's formulas (test/lab-values-float32-digits.test.ts, HAND).
 */
import { describe, expect, it } from 'vitest';
import { act, choosePreset, openLab, text, useLab } from './lab-lib.ts';

useLab('values-float32');

describe("the lab's stage line and Update table: float32's digits; the boundary's note", () => {
  it("lecture 003: L = 1370.445 on the Loss, Backward and Update lines; ∂L/∂w¹₁₁ −101.8594 in the table", async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    await choosePreset(page, 'lecture-regression');
    await act(page, '#step-forward');
    await act(page, '#step-loss');
    expect(await text(page, '#stage-out')).toMatch(/^Loss on .*: L = 1370\.445$/);
    await act(page, '#step-backward');
    expect(await text(page, '#stage-out')).toMatch(/ \(L = 1370\.445\): /);
    await act(page, '#step-update');
    expect(await text(page, '#stage-out')).toMatch(/\(L before the step = 1370\.445\)\.$/);
    const row = await page.$$eval('#values .update-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));
    expect(row[0]).toEqual(['w¹₁₁', '0.1000000', '−101.8594', '0.2018594']);
    expect(errors).toEqual([]);
  }, 180_000);

  it("lecture 000 (study hours): its bias, before and after the step, at 7 significant digits: 3.906138 → 3.906147", async () => {
    // By hand: b = ln(0.997 / 0.003) − 1.9 = 3.906138481 (so ŷ = σ(z) = 0.997); ∂L/∂b = (ŷ − y)·ŷ(1 − ŷ) = −0.003 ×
    // 0.997 × 0.003 = −8.973e-6; at η = 1, b' = 3.906147454. float32 holds 7 digits of each: 3.906138, 3.906147
    // (the table's 7 decimals would add an 8th: 3.9061385, 3.9061475).
    const errors: string[] = [];
    const page = await openLab(errors);
    await choosePreset(page, 'lecture-study-hours-w7');
    for (const step of ['#step-forward', '#step-loss', '#step-backward', '#step-update']) await act(page, step);
    const rows = await page.$$eval('#values .update-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));
    const b = rows.find((r) => r[0] === 'b');
    expect(b, rows.map((r) => r.join(' ')).join('; ')).toBeDefined();
    expect([b![1], b![3]]).toEqual(['3.906138', '3.906147']);
    expect(errors).toEqual([]);
  }, 180_000);

  it("a 2-D set's boundary note says the classes differ by shape as well as colour (five blobs)", async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    await choosePreset(page, 'blobs5');
    await page.waitForFunction(() => /Training accuracy/.test(document.querySelector('#boundary-out')?.textContent ?? ''), { timeout: 60_000 });
    expect(await text(page, '#boundary-out')).toContain("5 classes: the colour is the class the net picks, and each class's points have a shape of their own (the legend, top right, names each)");
    expect(errors).toEqual([]);
  }, 180_000);
});

