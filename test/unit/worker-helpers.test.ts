import { describe, expect, it } from 'vitest';
import { toGlassboxError } from '../../src/core/contract/errors';
import { autoSkipsWebGpu, describeAdapter, detectWebGpu, resetWebGpuDetection, type GpuLike } from '../../src/engines/backends';
import { sha256Hex } from '../../src/core/model-folder/sha256';
import { downloadBytes } from '../../src/engines/download';
import { isIntactCopy } from '../../src/pwa/verified-copy';
import { GuardedFetch } from '../../src/engines/guarded-fetch';
import { toEngineError } from '../../src/engines/onnx-errors';
import { downloadModelFiles } from '../../src/engines/tfjs/model-files';
import { inspectModelFolder } from '../../workers/model-folder';

const FOLDER = 'http://site.test/models/news-topic/';
const json = (value: unknown, status = 200) => new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

describe('inspectModelFolder', () => {
  const config = { id2label: { 0: 'business', 1: 'sport' } };
  const files = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'].map((path) => ({ path, bytes: 10, sha256: 'ab'.repeat(32) }));
  const manifest = { id: 'news-topic', title: 'News', task: 'text-classification', labels: ['business', 'sport'], files };

  it('returns the labels and the model card', async () => {
    const folder = await inspectModelFolder({ id: 'news-topic', url: FOLDER }, async (url) => json(url.endsWith('config.json') ? config : manifest));
    expect(folder).toEqual({ labels: ['business', 'sport'], manifest });
  });

  it('works without a model card and says its files load unverified', async () => {
    const folder = await inspectModelFolder({ id: 'x', url: FOLDER }, async (url) => (url.endsWith('config.json') ? json(config) : new Response('', { status: 404 })));
    expect(folder.manifest).toBeUndefined();
    expect(folder.manifestNote).toMatch(/no manifest\.json\. Its files load unverified/);
  });

  it('names the files a model card gives no sha256 for', async () => {
    const partial = { ...manifest, files: files.map((file) => (file.path === 'tokenizer.json' ? { path: file.path, bytes: 10 } : file)) };
    const folder = await inspectModelFolder({ id: 'x', url: FOLDER }, async (url) => json(url.endsWith('config.json') ? config : partial));
    expect(folder.manifestNote).toBe('Unverified: the model card gives no sha256 for tokenizer.json, so it loads unchecked.');
  });

  it('names a missing folder, an unreachable server, a server error and an HTML page', async () => {
    const codeFor = async (answer: (url: string) => Promise<Response>) =>
      inspectModelFolder({ id: 'x', url: FOLDER }, answer).then(
        () => 'ok',
        (error: unknown) => `${toGlassboxError(error).code}: ${toGlassboxError(error).detail}`,
      );
    expect(await codeFor(async () => new Response('', { status: 404 }))).toMatch(/^MODEL_NOT_FOUND: .*config\.json is missing/);
    expect(await codeFor(async () => Promise.reject(new TypeError('Failed to fetch')))).toMatch(/^MODEL_FETCH_FAILED: Could not reach/);
    expect(await codeFor(async () => new Response('', { status: 503 }))).toMatch(/^MODEL_FETCH_FAILED: .*HTTP 503/);
    expect(await codeFor(async () => new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } }))).toMatch(
      /^MODEL_INVALID: .*HTML page/,
    );
    expect(await codeFor(async () => json({ model_type: 'bert' }))).toMatch(/^MODEL_INVALID: .*id2label/);
  });
});

describe('WebGPU detection', () => {
  const adapter = (info: Record<string, unknown>, device: () => Promise<object> = async () => ({ destroy() {} })) => ({
    info,
    requestDevice: device,
  });

  it('describes a software adapter', () => {
    expect(describeAdapter({ info: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true } })).toBe(
      'google swiftshader (software fallback adapter)',
    );
  });

  it('marks a software fallback adapter, which auto leaves out with a reason, and keeps a real GPU', async () => {
    resetWebGpuDetection();
    const software = await detectWebGpu({ requestAdapter: async () => adapter({ vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true }) });
    expect(software).toEqual({ available: true, adapter: 'google swiftshader (software fallback adapter)', fallbackAdapter: true });
    expect(autoSkipsWebGpu(software)).toMatch(/software fallback \(google swiftshader \(software fallback adapter\)\), far slower than WebAssembly; choose WebGPU/);
    resetWebGpuDetection();
    const gpu = await detectWebGpu({ requestAdapter: async () => adapter({ vendor: 'nvidia', architecture: 'ada' }) });
    expect(autoSkipsWebGpu(gpu)).toBeUndefined();
    expect(autoSkipsWebGpu({ available: false, reason: 'none' })).toBeUndefined();
    resetWebGpuDetection();
  });

  it('gives a reason for each way WebGPU can be missing, and remembers its answer', async () => {
    resetWebGpuDetection();
    expect((await detectWebGpu(undefined)).reason).toMatch(/no WebGPU/);
    resetWebGpuDetection();
    expect((await detectWebGpu({ requestAdapter: async () => null })).reason).toMatch(/no adapter/);
    resetWebGpuDetection();
    const noDevice: GpuLike = { requestAdapter: async () => adapter({}, async () => Promise.reject(new Error('lost'))) };
    expect((await detectWebGpu(noDevice)).reason).toMatch(/could not open a device: lost/);
    resetWebGpuDetection();
    let asked = 0;
    const working: GpuLike = {
      requestAdapter: async () => {
        asked++;
        return adapter({ vendor: 'acme', device: 'X1' });
      },
    };
    expect(await detectWebGpu(working)).toEqual({ available: true, adapter: 'acme X1' });
    await detectWebGpu(working);
    expect(asked).toBe(1);
    resetWebGpuDetection();
  });
});

describe('GuardedFetch and engine errors', () => {
  it('remembers network failures and server errors, and passes 404s through for the loader to report', async () => {
    const answers: Record<string, () => Promise<Response>> = {
      [`${FOLDER}tokenizer.json`]: async () => Promise.reject(new TypeError('Failed to fetch')),
      [`${FOLDER}onnx/model_quantized.onnx`]: async () => new Response('', { status: 500, statusText: 'Internal Server Error' }),
      [`${FOLDER}config.json`]: async () => new Response('', { status: 404 }),
    };
    const guarded = new GuardedFetch(async (input) => answers[String(input)]());
    await expect(guarded.fetch(`${FOLDER}tokenizer.json`)).rejects.toThrow(/Failed to fetch/);
    expect(guarded.failureUnder(FOLDER)).toEqual({ url: `${FOLDER}tokenizer.json`, failure: { kind: 'network', detail: 'Failed to fetch' } });
    await expect(guarded.fetch(`${FOLDER}onnx/model_quantized.onnx`)).rejects.toThrow(/HTTP 500/);
    expect((await guarded.fetch(`${FOLDER}config.json`)).status).toBe(404);

    const notFound = Object.assign(new Error(`file was not found locally at "${FOLDER}onnx/model_quantized.onnx".`), { name: 'ModelFileNotFoundError' });
    const error = toEngineError(notFound, 'model', FOLDER, guarded);
    expect(error.code).toBe('MODEL_FETCH_FAILED');
    expect(error.detail).toMatch(/HTTP 500 Internal Server Error/);
    guarded.forgetUnder(FOLDER);
    expect(toEngineError(notFound, 'model', FOLDER, guarded).code).toBe('MODEL_NOT_FOUND');
    expect(toEngineError(notFound, 'model', FOLDER, guarded).detail).toContain('onnx/model_quantized.onnx is missing');
  });

  it('gives up a download that stalls, and calls it a failed download, not a corrupt file', async () => {
    const stalling = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(7));
      },
    });
    const guarded = new GuardedFetch(async () => new Response(stalling, { headers: { 'content-length': '1000' } }), 50);
    const started = Date.now();
    const error = await downloadBytes(`${FOLDER}onnx/model_quantized.onnx`, guarded.fetch, () => undefined).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    const typed = toEngineError(error, 'model', FOLDER, guarded);
    expect(typed.code).toBe('MODEL_FETCH_FAILED');
    expect(typed.detail).toMatch(/model_quantized\.onnx stopped: the download stalled: nothing arrived for 0 s after 7 bytes/);
  });

  it('reports a connection that drops mid-file as a failed download, in both engines', async () => {
    const dropping = () => {
      let pulls = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (pulls++ === 0) controller.enqueue(new Uint8Array(5));
          else controller.error(new TypeError('network error'));
        },
      });
    };
    const guarded = new GuardedFetch(async () => new Response(dropping()));
    const error = await downloadBytes(`${FOLDER}onnx/model_quantized.onnx`, guarded.fetch, () => undefined).catch((e: unknown) => e);
    const onnx = toEngineError(error, 'model', FOLDER, guarded);
    expect([onnx.code, onnx.detail]).toEqual(['MODEL_FETCH_FAILED', expect.stringMatching(/connection dropped after 5 bytes \(network error\)/)]);
    const tfjs = await downloadModelFiles(FOLDER, async () => new Response(dropping()), undefined, undefined).then(
      () => toGlassboxError(new Error('the download was accepted')),
      (e: unknown) => toGlassboxError(e),
    );
    expect([tfjs.code, tfjs.detail]).toEqual(['MODEL_FETCH_FAILED', expect.stringMatching(/stopped: the connection dropped after 5 bytes/)]);
  });

  it('refuses a file whose bytes are not the ones its model card lists, in both engines, and accepts the right ones', async () => {
    const body = new TextEncoder().encode('weights v1');
    const file = { path: 'onnx/model_quantized.onnx', bytes: body.length, sha256: await sha256Hex(body) };
    const url = `${FOLDER}onnx/model_quantized.onnx`;
    const serving = (text: string) => async () => new Response(new TextEncoder().encode(text));
    const guarded = new GuardedFetch(serving('weights v2'));
    guarded.expectFiles(FOLDER, [file]);
    const swapped = toEngineError(await downloadBytes(url, guarded.fetch, () => undefined).catch((e: unknown) => e), 'model', FOLDER, guarded);
    expect([swapped.code, swapped.detail]).toEqual(['MODEL_INVALID', expect.stringMatching(/model_quantized\.onnx is not the file its model card lists: its sha256 is [0-9a-f]{64} where the model card lists/)]);
    const longer = new GuardedFetch(serving('weights v1 and more'));
    longer.expectFiles(FOLDER, [file]);
    const sized = toEngineError(await downloadBytes(url, longer.fetch, () => undefined).catch((e: unknown) => e), 'model', FOLDER, longer);
    expect(sized.detail).toMatch(/it is 19 bytes where the model card lists 10/);
    const right = new GuardedFetch(serving('weights v1'));
    right.expectFiles(FOLDER, [file]);
    expect(new TextDecoder().decode(await downloadBytes(url, right.fetch, () => undefined))).toBe('weights v1');

    const tfjs = await downloadModelFiles(FOLDER, async (requested) => (String(requested) === url ? new Response('weights v2') : json({})), undefined, undefined, [file]).then(
      () => toGlassboxError(new Error('the swapped file was accepted')),
      (e: unknown) => toGlassboxError(e),
    );
    expect([tfjs.code, tfjs.detail]).toEqual(['MODEL_INVALID', expect.stringMatching(/is not the file its model card lists/)]);
  });

  it('hashes a cached copy again before the service worker serves it', async () => {
    const body = new TextEncoder().encode('config v1');
    const file = { bytes: body.length, sha256: await sha256Hex(body) };
    expect(await isIntactCopy(new Response(body), file)).toBe(true);
    expect(await isIntactCopy(new Response('config v2'), file)).toBe(false);
    expect(await isIntactCopy(new Response('config'), file)).toBe(false);
  });

  it('aborts fetches when the load is cancelled', async () => {
    const guarded = new GuardedFetch(
      (_input, init) =>
        new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    );
    const controller = new AbortController();
    guarded.useSignal(controller.signal);
    const pending = guarded.fetch(`${FOLDER}onnx/model_quantized.onnx`);
    controller.abort();
    await expect(pending).rejects.toThrow(/cancelled/);
    expect(toEngineError(new Error('x'), 'model', FOLDER, guarded).code).toBe('CANCELLED');
  });

  it('calls an unreadable ONNX file invalid, naming the file', () => {
    const error = toEngineError(new Error("Can't create a session. ERROR_CODE: 7, protobuf parsing failed"), 'model', FOLDER, undefined);
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.detail).toContain(`${FOLDER}onnx/model_quantized.onnx`);
    expect(error.detail).toMatch(/truncated or corrupt/);
  });
});
