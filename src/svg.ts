/**
 * SVG text shared by the CLI's plot (src/cli/plot.ts) and the benchmark's charts (bench/report.ts, bench/epochs.ts).
 */

/** Text for SVG: & < > " ' escaped (in text and in attribute values alike). */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
