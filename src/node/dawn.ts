/**
 * Dawn (the npm package webgpu) in Node without a GPU: the Vulkan driver it then needs is SwiftShader, a CPU
 * emulation that Chromium ships — Debian's chromium package (/usr/lib/chromium/vk_swiftshader_icd.json, with its own
 * libvulkan.so.1) or, unpacked into the temp folder, the one bundled in @sparticuz/chromium. The Vulkan loader reads
 * VK_ICD_FILENAMES and LD_LIBRARY_PATH when dawn.node loads it, so they take a fresh process (see src/cli/dawn.ts).
 */
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { bundledChromiumPath } from './chromium.ts';

const SWIFTSHADER_ICD = 'vk_swiftshader_icd.json';

/** Where a system Chromium keeps SwiftShader's Vulkan driver (vk_swiftshader_icd.json beside libvk_swiftshader.so and its libvulkan.so.1). */
export function findSwiftShaderIcd(): string | null {
  const dirs: string[] = [];
  const chrome = process.env.CHROME_PATH;
  if (chrome && existsSync(chrome)) dirs.push(dirname(realpathSync(chrome)));
  dirs.push('/usr/lib/chromium', '/usr/lib/chromium-browser', '/opt/google/chrome', '/opt/chromium');
  for (const d of dirs) {
    const icd = join(d, SWIFTSHADER_ICD);
    if (existsSync(icd)) return icd;
  }
  return null;
}

/** findSwiftShaderIcd, else the bundled Chromium's (unpacked on first use); null when neither exists. */
export async function findAnySwiftShaderIcd(): Promise<string | null> {
  const system = findSwiftShaderIcd();
  if (system) return system;
  try {
    const icd = join(dirname(await bundledChromiumPath()), SWIFTSHADER_ICD);
    return existsSync(icd) ? icd : null;
  } catch {
    return null;
  }
}

/** The environment the Vulkan loader needs to use the ICD manifest `icd` (its folder first on LD_LIBRARY_PATH, for Chromium's libvulkan.so.1). */
export function swiftShaderEnv(icd: string): Record<string, string> {
  const dir = dirname(resolve(icd));
  const ld = (process.env.LD_LIBRARY_PATH ?? '').split(delimiter).filter(Boolean);
  return { VK_ICD_FILENAMES: resolve(icd), LD_LIBRARY_PATH: [dir, ...ld.filter((p) => p !== dir)].join(delimiter) };
}
