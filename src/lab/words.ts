/**
 * Sentences the lab's views print around a count, the count and its words agreeing ("1 is an erratum", "its one
 * example"). No DOM (test/lab-files.test.ts).
 */

/**
 * Lecture checks' summary: how many printed claims match, are errata, are unexplained; `doubted`: errata with a doubt
 * (an OCR reading or a truncation under which the notes may be right), wrong only as transcribed.
 */
export function checksSummary(total: number, counts: { match: number; erratum: number; wrong: number; doubted?: number }): string {
  const doubted = counts.doubted ?? 0;
  const doubt = doubted === 0 ? '' : `; ${doubted === counts.erratum ? (doubted === 1 ? 'it has' : 'all have') : `${doubted} of them ${doubted === 1 ? 'has' : 'have'}`} a doubt: the notes may be right after all (a misread OCR, a truncation; see its Doubt)`;
  return `${total} printed ${total === 1 ? 'value or formula' : 'values and formulas'}: ${counts.match} ${counts.match === 1 ? 'matches' : 'match'}, `
    + `${counts.erratum} ${counts.erratum === 1 ? 'is an erratum' : 'are errata'} (the lecture as transcribed is wrong; the engine gives the right value${doubt}), `
    + `${counts.wrong} unexplained. Checked on the lecture's own starting weights and data, as printed — not on the net on screen once it has trained.`;
}

/** Which examples the Output table shows: the first `shown` of `total` ("first 8 of 20 examples", "all 3 examples", "its one example"). */
export function examplesShown(shown: number, total: number): string {
  if (shown >= total) return total === 1 ? 'its one example' : `all ${total} examples`;
  return shown === 1 ? `the first of ${total} examples` : `first ${shown} of ${total} examples`;
}
