import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium: tests and benchmarks never download a browser of their own. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for headless Chromium on a machine without a GPU and without internet: the background
 * services would otherwise try (and fail) to reach Google. With `--enable-unsafe-webgpu` WebGPU
 * comes up on SwiftShader, a software adapter.
 */
const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export interface Chromium {
  context: BrowserContext;
  /** Closes the browser and deletes its fresh profile. */
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile, with or without (software) WebGPU. */
export async function launchChromium({ webgpu }: { webgpu: boolean }): Promise<Chromium> {
  const profile = await mkdtemp(path.join(tmpdir(), 'glassbox-chromium-'));
  const args = [...BASE_ARGS, ...(webgpu ? ['--enable-unsafe-webgpu'] : ['--disable-gpu'])];
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args, headless: true });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
