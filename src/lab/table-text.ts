/**
 * A chosen or dropped file's bytes as Your data's text (./table.ts reads the table from it): the encodings the lab
 * reads, what it refuses and how it names the first byte it cannot read. No DOM (Node tests: test/lab-table-locale,
 * test/lab-table-hostile).
 */
import { SpecError } from '../errors.ts';

/** What the lab asks for in place of a file it does not read as text. */
const SAVE_AS = 'save it as "CSV UTF-8" (Excel: File → Save As) or as "Text CSV" with the character set "Unicode (UTF-8)" (LibreOffice), and choose that file';

/**
 * A chosen or dropped file's bytes as the table's text: UTF-8 (its byte-order mark dropped), or UTF-16 where a UTF-16
 * mark starts it (Excel's "Unicode Text", tab-separated). A workbook (.xlsx / .ods, a zip; .xls) is refused by what it
 * is, and bytes that are not UTF-8 — a file saved in a Windows or Mac encoding (Excel's plain "CSV" in Germany, France,
 * Poland, Russia, Japan …) — by the row and the first bad byte: the lab does not guess an encoding. NOTE: Blob.text()
 * read such a file as U+FFFD: the header 'Größe' offered as 'Gr��e', class 'café' as 'caf�', without a word.
 */
export function tableText(bytes: Uint8Array, file: string): string {
  const starts = (...b: number[]): boolean => b.every((v, k) => bytes[k] === v);
  if (starts(0x50, 0x4b, 0x03, 0x04)) throw new SpecError(file, `is a spreadsheet workbook (.xlsx or .ods), not a CSV: ${SAVE_AS}`);
  if (starts(0xd0, 0xcf, 0x11, 0xe0)) throw new SpecError(file, `is an Excel 97–2003 workbook (.xls), not a CSV: ${SAVE_AS}`);
  if (starts(0xff, 0xfe)) return new TextDecoder('utf-16le').decode(bytes);
  if (starts(0xfe, 0xff)) return new TextDecoder('utf-16be').decode(bytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // The first bad byte: where the lenient decoding's first U+FFFD stands that the file did not write as EF BF BD.
    const lenient = new TextDecoder('utf-8').decode(bytes);
    // NOTE: the decoding drops a leading mark (EF BB BF), so offsets in the text are 3 bytes short of the file's: with
    // one, the byte named was the one 3 places before the bad byte (the header's 'b' for an 'é' in Windows-1252).
    const mark = starts(0xef, 0xbb, 0xbf) ? 3 : 0;
    const { at, offset } = firstBadByte(lenient, bytes.subarray(mark));
    throw new SpecError(file, `is not UTF-8 text: ${byteAt(lenient, at, bytes[mark + offset])}, which UTF-8 does not allow there — a file saved in a Windows or Mac encoding (Excel's plain "CSV" does so), which the lab does not guess: ${SAVE_AS}`);
  }
  // NOTE: UTF-16 without its mark is valid UTF-8 — every ASCII character a 00 byte beside it —, so it was parsed as a
  // table of 'x\0' names and refused for a row it has not ("row 4: has 1 cells", the last line's lone 00).
  const nul = text.indexOf('\0');
  if (nul >= 0) throw new SpecError(file, `is not UTF-8 text: ${byteAt(text, nul, 0)}, which text has nowhere — UTF-16 without its byte-order mark (or not a text file), which the lab does not guess: ${SAVE_AS}`);
  return text;
}

/**
 * Where `text`'s character `at` stands, as tableText names a byte there: "row 3 has the byte 0x9A after 'Gr'". Rows
 * end as table.ts's splitCells ends them: CRLF, LF or a CR alone. NOTE: counted by LF only, a Mac file (Excel for Mac's "CSV
 * (Macintosh)": Mac Roman, lines ended by CR) was always "row 1", the text before the byte all its lines run together.
 */
function byteAt(text: string, at: number, byte: number): string {
  const lines = text.slice(0, at).split(/\r\n|\r|\n/);
  const before = lines[lines.length - 1].slice(-20);
  return `row ${lines.length} has the byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} ${before === '' ? 'at its start' : `after '${before}'`}`;
}

/**
 * Where the first byte that is not UTF-8 stands: its index in `text` (the bytes decoded leniently: that byte a U+FFFD)
 * and its offset in `bytes`. One pass, each character's UTF-8 length counted (a surrogate pair is one 4-byte
 * character). NOTE: the text before each U+FFFD was encoded again to find its offset: a file of many real U+FFFD
 * (EF BF BD) before a bad byte took a minute for 600 kB.
 */
function firstBadByte(text: string, bytes: Uint8Array): { at: number; offset: number } {
  let offset = 0;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 0xfffd && !(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return { at: k, offset };
    if (c < 0x80) offset += 1;
    else if (c < 0x800) offset += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { offset += 4; k++; }
    else offset += 3;
  }
  // Not reached for bytes the fatal decoder refused: the lenient one wrote a U+FFFD for the bad byte.
  return { at: text.length, offset: bytes.length };
}
