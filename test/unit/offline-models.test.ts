import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ModelFile } from '../../src/core/model-folder/model-card';
import { SHA256_HEADER, isCurrentCopy, listedFiles, locateModelFile, modelFileUrl, offlineStatus } from '../../src/core/model-folder/offline-models';
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

  it('drops every file that is not inside the model folder or is too large', () => {
    const hostile = [
      '//localhost/beacon.bin',
      '//evil.example/x',
      '../../index.html',
      'onnx/../../../sw.js',
      './config.json',
      '/models/other/config.json',
      'http://evil.example/x',
      'onnx\\..\\..\\x',
      'onnx//model.onnx',
      'config.json/',
      '',
      'line\nbreak.json',
    ];
    const card = { files: [...hostile.map((path) => ({ path, bytes: 10 })), { path: 'huge.bin', bytes: 1e12 }, { path: 'a.bin', bytes: -1 }, { path: 'b.bin', bytes: 1 }] };
    expect(listedFiles(card)).toEqual([{ path: 'b.bin', bytes: 1, sha256: undefined }]);
    // Names are percent-encoded one by one, so these stay inside the folder.
    const folder = 'https://site.test/models/news-topic/';
    for (const path of ['https:x', 'config.json?x=1', '%2e%2e/index.html', 'a b/c#d.json']) {
      expect(listedFiles({ files: [{ path, bytes: 1 }] })).toHaveLength(1);
      expect(modelFileUrl(folder, { path, bytes: 1 }).startsWith(folder)).toBe(true);
    }
  });

  it('never builds a URL outside the folder, even for an entry it did not read', () => {
    const folder = 'https://site.test/models/news-topic/';
    expect(modelFileUrl(folder, { path: 'onnx/model_quantized.onnx', bytes: 1 })).toBe(`${folder}onnx/model_quantized.onnx`);
    for (const path of ['//localhost/beacon.bin', '../../index.html']) {
      expect(() => modelFileUrl(folder, { path, bytes: 1 })).toThrow(/not a file inside/);
    }
  });
});

describe('verifiedCopy', () => {
  const served = (body: string, status = 200, headers: Record<string, string> = {}) =>
    new Response(body, { status, headers: { 'Content-Type': 'application/json', 'Cross-Origin-Resource-Policy': 'same-origin', ...headers } });
  const listed = (body: string) => ({ bytes: body.length, sha256: sha(body) });

  it('keeps the bytes and headers of the file the card lists and records its sha256', async () => {
    const copy = await verifiedCopy(served('config v1'), listed('config v1'));
    expect(copy).toBeDefined();
    expect(await copy?.text()).toBe('config v1');
    expect(copy?.headers.get('content-type')).toBe('application/json');
    expect(copy?.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(copy?.headers.get(SHA256_HEADER)).toBe(sha('config v1'));
  });

  it('keeps nothing when the bytes differ from the card, or the server answered with an error', async () => {
    expect(await verifiedCopy(served('config v2'), listed('config v1'))).toBeUndefined();
    expect(await verifiedCopy(served('config v1', 404), listed('config v1'))).toBeUndefined();
  });

  it('keeps nothing larger than the card says, and stops reading it', async () => {
    expect(await verifiedCopy(served('config v1 and more'), { bytes: 9 })).toBeUndefined();
    expect(await verifiedCopy(served('config v1', 200, { 'Content-Length': '100000000' }), { bytes: 9 })).toBeUndefined();
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    expect(await verifiedCopy(new Response(endless), { bytes: 4096 })).toBeUndefined();
    expect(pulled).toBeLessThan(10);
  });

  it('records the sha256 of a file the card lists without one', async () => {
    const copy = await verifiedCopy(served('anything'), { bytes: 8 });
    expect(copy?.headers.get(SHA256_HEADER)).toBe(sha('anything'));
  });
});
