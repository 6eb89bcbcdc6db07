import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { planLocalFolder } from '../../src/core/model-folder/local-folder';
import { LocalModels } from '../../workers/local-models';
import { failureOf } from './helpers/error-code';

const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'];
const picked = (paths: string[], size = 10) => paths.map((path) => ({ path, size }));
const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return `${(error as { code: string }).code}: ${(error as Error).message}`;
  }
};

describe('planLocalFolder', () => {
  it('finds the model files under the folder that was picked, with or without a card', () => {
    const plan = planLocalFolder(picked([...FILES, 'manifest.json', 'README.md'].map((path) => `my-model/${path}`)));
    expect(plan.id).toBe('my-model');
    expect([...plan.files]).toEqual([...['config.json', 'tokenizer.json', 'tokenizer_config.json', 'manifest.json'].map((p) => [p, `my-model/${p}`]), ['onnx/model_quantized.onnx', 'my-model/onnx/model_quantized.onnx']]);
    expect(planLocalFolder(picked(FILES)).files.get('onnx/model_quantized.onnx')).toBe('onnx/model_quantized.onnx');
  });

  it('reads onnx/model.onnx when there is no int8 model, and says so', () => {
    const plan = planLocalFolder(picked([...FILES.slice(0, 3), 'onnx/model.onnx']));
    expect(plan.files.get('onnx/model_quantized.onnx')).toBe('onnx/model.onnx');
    expect(plan.note).toMatch(/full precision/);
  });

  it('names what is missing, and refuses paths that leave the folder and files too large to load', () => {
    expect(codeOf(() => planLocalFolder(picked(['m/config.json', 'm/tokenizer.json'])))).toBe(
      'MODEL_NOT_FOUND: This is not a text-classification model folder: tokenizer_config.json, onnx/model_quantized.onnx (or onnx/model.onnx) are missing (it holds config.json, tokenizer.json).',
    );
    expect(codeOf(() => planLocalFolder(picked(['photo.jpg', 'weights.bin'])))).toMatch(/^MODEL_NOT_FOUND: .*config\.json/);
    expect(codeOf(() => planLocalFolder(picked([...FILES, '../../etc/passwd'])))).toMatch(/^BAD_INPUT: "\.\.\/\.\.\/etc\/passwd" is not a path inside a model folder/);
    expect(codeOf(() => planLocalFolder([...picked(FILES.slice(0, 3)), { path: 'onnx/model_quantized.onnx', size: 2 * 1024 ** 3 }]))).toMatch(/^BAD_INPUT: .*2\.0 GiB, more than glassbox loads/);
    expect(codeOf(() => planLocalFolder([]))).toMatch(/^BAD_INPUT: No files were given/);
  });
});

describe('LocalModels', () => {
  const ORIGIN = 'http://site.test';
  const file = (text: string) => new Blob([text]);
  const network = async () => new Response('from the network');

  it('answers the opened folder from memory and everything else from the network', async () => {
    const local = new LocalModels(ORIGIN);
    const { source } = await local.open(FILES.map((path) => ({ path: `m/${path}`, file: file(`<${path}>`) })));
    const fetchLocal = local.fetchWith(network);
    expect(source.url).toBe('http://site.test/local-models/1/m/');
    expect(await (await fetchLocal(`${source.url}config.json`)).text()).toBe('<config.json>');
    expect((await fetchLocal(`${source.url}manifest.json`)).status).toBe(404);
    expect(await (await fetchLocal(`${ORIGIN}/models/index.json`)).text()).toBe('from the network');
  });

  it('unpacks one .zip of a folder, and refuses one with paths outside it or that would unpack too large', async () => {
    const entries = Object.fromEntries(FILES.map((path) => [`zipped/${path}`, new TextEncoder().encode(path)]));
    const local = new LocalModels(ORIGIN);
    const { source } = await local.open([{ path: 'model.zip', file: new Blob([zipSync(entries)]) }]);
    expect(await (await local.fetchWith(network)(`${source.url}tokenizer.json`)).text()).toBe('tokenizer.json');

    const escaping = zipSync({ ...entries, '../evil.js': new TextEncoder().encode('x') });
    expect(await failureOf(local.open([{ path: 'evil.zip', file: new Blob([escaping]) }]))).toEqual({
      code: 'BAD_INPUT',
      message: 'evil.zip was refused: it holds "../evil.js", a path outside its folder.',
    });
    // An archive that declares gigabytes is refused from its directory, before anything is unpacked;
    // one whose entries unpack to another size than declared is refused too.
    const declaring = (bytes: number) => {
      const zip = zipSync({ ...entries, 'big.bin': [new Uint8Array(0), { level: 0 }] });
      const view = new DataView(zip.buffer);
      let central = zip.length - 4;
      while (view.getUint32(central, true) !== 0x02014b50) central--;
      view.setUint32(central + 24, bytes, true);
      return new Blob([zip]);
    };
    expect((await failureOf(local.open([{ path: 'bomb.zip', file: declaring(2 * 1024 ** 3) }]))).message).toMatch(/^bomb\.zip was refused: it would unpack to more than 1\.3 GiB\.$/);
    expect((await failureOf(local.open([{ path: 'liar.zip', file: declaring(1000) }]))).message).toBe('liar.zip was refused: big.bin unpacks to another size than the archive declares.');
    expect((await failureOf(local.open([{ path: 'broken.zip', file: new Blob(['not a zip']) }]))).message).toMatch(/^broken\.zip is not a readable \.zip/);
  });
});
