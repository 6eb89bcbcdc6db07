import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ModelFile } from '../../src/core/model-card';
import { SHA256_HEADER, isCurrentCopy, listedFiles, locateModelFile, modelFileUrl, offlineStatus } from '../../src/core/offline-models';
import { verifiedCopy } from '../../src/pwa/verified-copy';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

const files: ModelFile[] = [
  { path: 'config.json', bytes: 800, sha256: sha('config v1') },
  { path: 'onnx/model_quantized.onnx', bytes: 11_000_000, sha256: sha('weights v1') },
  { path: 'tokenizer.json', bytes: 466_000, sha256: sha('tokenizer v1') },
];
const allCopies = () => new Map(files.map((f) => [f.path, f.sha256 ?? null]));

describe('offlineStatus', () => {
  it('is complete when every listed file has a copy stored for the sha256 the card lists', () => {
    const status = offlineStatus(files, allCopies());
    expect(status).toEqual({ complete: true, missing: [], cachedBytes: 11_466_800, totalBytes: 11_466_800 });
  });

  it('lists the files with no copy, and counts only the bytes it has', () => {
    const copies = allCopies();
    copies.delete('onnx/model_quantized.onnx');
    const status = offlineStatus(files, copies);
    expect(status.complete).toBe(false);
    expect(status.missing.map((f) => f.path)).toEqual(['onnx/model_quantized.onnx']);
    expect(status.cachedBytes).toBe(466_800);
  });

  it('treats a copy of another version of a file (a re-published model) as missing', () => {
    const copies = allCopies();
    copies.set('tokenizer.json', sha('tokenizer v0'));
    copies.set('config.json', null);
    const status = offlineStatus(files, copies);
    expect(status.complete).toBe(false);
    expect(status.missing.map((f) => f.path)).toEqual(['config.json', 'tokenizer.json']);
  });

  it('never calls a model complete when its card lists no files', () => {
    expect(offlineStatus([], new Map()).complete).toBe(false);
  });

  it('accepts any copy of a file the card lists without a sha256, and ignores the case of hex digests', () => {
    const unhashed: ModelFile = { path: 'vocab.txt', bytes: 10 };
    expect(isCurrentCopy(unhashed, null)).toBe(true);
    expect(isCurrentCopy(files[0], (files[0].sha256 ?? '').toUpperCase())).toBe(true);
    expect(isCurrentCopy(files[0], null)).toBe(false);
  });
});

describe('locateModelFile', () => {
  const root = 'https://host.example/glassbox/models/';

  it('splits a file URL into its model folder and its path inside it', () => {
    expect(locateModelFile(`${root}news-topic/onnx/model_quantized.onnx`, root)).toEqual({
      folder: `${root}news-topic/`,
      path: 'onnx/model_quantized.onnx',
    });
    expect(locateModelFile(`${root}my%20model/tokenizer%20v2.json?x=1`, root)).toEqual({ folder: `${root}my%20model/`, path: 'tokenizer v2.json' });
  });

  it('finds no model file outside the models folder, in it directly, or at a folder URL', () => {
    expect(locateModelFile(`${root}index.json`, root)).toBeUndefined();
    expect(locateModelFile('https://host.example/glassbox/test-models/corrupt/config.json', root)).toBeUndefined();
    expect(locateModelFile('https://other.example/glassbox/models/a/config.json', root)).toBeUndefined();
    expect(locateModelFile(`${root}news-topic/`, root)).toBeUndefined();
    expect(locateModelFile(`${root}news-topic//config.json`, root)).toBeUndefined();
  });

  it('round-trips with modelFileUrl', () => {
    const folder = `${root}news-topic/`;
    for (const file of [...files, { path: 'a b/c#d.json', bytes: 1 }]) {
      expect(locateModelFile(modelFileUrl(folder, file), root)).toEqual({ folder, path: file.path });
    }
  });
});

describe('listedFiles', () => {
  it('reads the files of a parsed manifest.json and nothing from anything else', () => {
    expect(listedFiles({ files })).toEqual(files);
    expect(listedFiles({ files: [{ path: 'x' }, { path: 'y', bytes: 2 }] })).toEqual([{ path: 'y', bytes: 2, sha256: undefined }]);
    for (const card of [null, [], 'files', {}, { files: 'x' }]) expect(listedFiles(card)).toEqual([]);
  });
});

describe('verifiedCopy', () => {
  const served = (body: string, status = 200) => new Response(body, { status, headers: { 'Content-Type': 'application/json', 'Cross-Origin-Resource-Policy': 'same-origin' } });

  it('keeps the bytes and headers of the file the card lists and records its sha256', async () => {
    const copy = await verifiedCopy(served('config v1'), files[0].sha256);
    expect(copy).toBeDefined();
    expect(await copy?.text()).toBe('config v1');
    expect(copy?.headers.get('content-type')).toBe('application/json');
    expect(copy?.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(copy?.headers.get(SHA256_HEADER)).toBe(sha('config v1'));
  });

  it('keeps nothing when the bytes differ from the card, or the server answered with an error', async () => {
    expect(await verifiedCopy(served('config v2'), files[0].sha256)).toBeUndefined();
    expect(await verifiedCopy(served('config v1', 404), files[0].sha256)).toBeUndefined();
  });

  it('records the sha256 of a file the card lists without one', async () => {
    const copy = await verifiedCopy(served('anything'), undefined);
    expect(copy?.headers.get(SHA256_HEADER)).toBe(sha('anything'));
  });
});
