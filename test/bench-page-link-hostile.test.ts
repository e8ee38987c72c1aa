/**
 * The bench page's link (bench/page/query.ts readQuery) against a crafted one: a link of many parameters or of a long
 * list froze the page for a minute before it said what was wrong (each name's getAll, and each item's indexOf, ran
 * over the whole link). Expected values are worked by hand from the links written here. No timing is asserted: each
 * big case took about a minute before its fix (a vitest timeout), and a small case beside it checks the same rule.
 */
import { describe, expect, it } from 'vitest';
import { readQuery } from '../bench/page/query.ts';
import { readNameList, readVariantList } from '../bench/systems.ts';

describe('a link of many parameters or a long list (bench page)', () => {
  it('names the first item given twice, after any number of items named once', () => {
    expect(readNameList('configs', 'a, b-mse,,a').items).toEqual(['a', 'b-mse', 'a']);
    expect(readNameList('configs', 'a, b-mse,,a').twice).toMatch(/^'a' given twice/);
    // x and y both twice: the first item that repeats an earlier one is the second y (index 3), before the second x.
    expect(readNameList('systems', 'x,y,z,y,x').twice).toMatch(/^'y' given twice/);
    expect(readNameList('systems', 'x,y,z').twice).toBeUndefined();
    expect(readVariantList('auto,tiled,auto').twice).toMatch(/^'auto' given twice/);
    expect(readVariantList('auto,tiled').twice).toBeUndefined();
  });

  it('reads 300 000 unknown configs or kernel variants, and then one given twice, in one pass (it was a minute or more)', () => {
    const names = Array.from({ length: 300_000 }, (_, k) => `c${k}`);
    const { query, errors } = readQuery(`?configs=${names.join(',')}`);
    // Every name unknown: one error naming the parameter, quoting the first; the form keeps its default configs.
    expect(errors.length).toBe(1);
    expect(errors[0].param).toBe('configs');
    expect(errors[0].message).toMatch(/^the link's configs: unknown configs 'c0', 'c1', /);
    expect(query.configs).toBeUndefined();
    // As many unknown kernel variants, then a known one: said as unknown, and the known one kept for the form.
    const variants = readQuery(`?webgpuVariants=${names.join(',')},tiled`);
    expect(variants.errors.map((e) => e.param)).toEqual(['webgpuVariants']);
    expect(variants.errors[0].message).toMatch(/^the link's webgpuVariants: unknown variants 'c0', 'c1', /);
    expect(variants.query.webgpuVariants).toEqual(['tiled']);
    // The same names then c0 again: the repeat is found too (the unknown names are said first, as ever).
    expect(readNameList('configs', `${names.join(',')},c0`).twice).toMatch(/^'c0' given twice/);
  }, 30_000);

  it('reads a link of 250 000 unknown parameters in one pass, each said once in the link\'s order (100 000 took about a minute)', () => {
    // NOTE: 100 000 took the old code 25–74 s on a shared machine, near the timeout: a faster one would pass it;
    // 250 000 is over 6 times that work, as the old code grew with the square (about 5 s in one pass).
    const link = `?${Array.from({ length: 250_000 }, (_, k) => `p${k}=1`).join('&')}&quick=1`;
    const { query, errors } = readQuery(link);
    expect(errors.length).toBe(250_000);
    expect(errors[0].param).toBe('p0');
    expect(errors[249_999].param).toBe('p249999');
    expect(errors[0].message).toMatch(/^the link's p0: unknown parameter; the page reads configs, /);
    // A known parameter after them is still read.
    expect(query.quick).toBe(true);
    // And one given twice is still refused as such.
    expect(readQuery('?quick=1&x=1&quick=0').errors.map((e) => e.message)).toEqual([
      "the link's quick: given 2 times ('1', '0'); give it once",
      "the link's x: unknown parameter; the page reads configs, systems, quick, autorun, driven, jaxWorkers, tfjsThreads, oursWasmThreads, webgpuVariants, fits",
    ]);
  }, 30_000);
});
