/**
 * Which SwiftShader driver the Dawn route's rerun uses (src/node/dawn.ts): the one beside CHROME_PATH's browser first
 * (a user's own Chromium), only a manifest that exists, and the environment that makes the Vulkan loader use it (its
 * folder first on LD_LIBRARY_PATH, once). Files are made in a temporary folder; no GPU is used.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { findSwiftShaderIcd, swiftShaderEnv } from '../src/node/dawn.ts';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'swiftshader-icd-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

describe('findSwiftShaderIcd', () => {
  it("CHROME_PATH's folder first, where its manifest exists", () => {
    const with_ = join(dir, 'with');
    mkdirSync(with_);
    writeFileSync(join(with_, 'chrome'), '');
    writeFileSync(join(with_, 'vk_swiftshader_icd.json'), '{}');
    vi.stubEnv('CHROME_PATH', join(with_, 'chrome'));
    expect(findSwiftShaderIcd()).toBe(join(with_, 'vk_swiftshader_icd.json'));
  });

  it("CHROME_PATH's folder without a manifest: not named (a later folder's, or none)", () => {
    const without = join(dir, 'without');
    mkdirSync(without);
    writeFileSync(join(without, 'chrome'), '');
    vi.stubEnv('CHROME_PATH', join(without, 'chrome'));
    expect(findSwiftShaderIcd() ?? 'none').not.toContain(without);
  });
});

describe('swiftShaderEnv', () => {
  it("the manifest's folder first on LD_LIBRARY_PATH, once, the rest kept in order", () => {
    vi.stubEnv('LD_LIBRARY_PATH', '/a:/sw:/b');
    expect(swiftShaderEnv('/sw/vk_swiftshader_icd.json')).toEqual({ VK_ICD_FILENAMES: '/sw/vk_swiftshader_icd.json', LD_LIBRARY_PATH: '/sw:/a:/b' });
  });
});
