import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { ROOT } from './harness';

/** The window every README picture is taken in: the pictures are compared by size. */
export const PICTURE_VIEW = { width: 1280, height: 900 };

/** Width and height of a PNG, from its IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.subarray(1, 4).toString('ascii') !== 'PNG') throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * A README picture (docs/<name>.png) of what `page` shows now. Rewritten with
 * GLASSBOX_UPDATE_SCREENSHOT=1; otherwise it must be there, a picture of the same size, so a
 * README never points at a missing or stale-shaped picture.
 */
export async function readmePicture(page: Page, name: string): Promise<void> {
  const file = path.join(ROOT, 'docs', `${name}.png`);
  const picture = await page.screenshot();
  if (process.env.GLASSBOX_UPDATE_SCREENSHOT === '1') await writeFile(file, picture);
  expect(existsSync(file), `${file} is missing: run the e2e suite with GLASSBOX_UPDATE_SCREENSHOT=1`).toBe(true);
  expect(pngSize(await readFile(file))).toEqual(pngSize(picture));
}
