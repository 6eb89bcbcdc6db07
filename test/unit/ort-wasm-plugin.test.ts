import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { locateOrtWasm } from '../../scripts/vite-plugin-ort-wasm';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(path.join(ROOT, 'package.json'));

describe('the ONNX Runtime WASM files the site serves', () => {
  it('come from the onnxruntime-web that @huggingface/transformers depends on, and exist', () => {
    const files = locateOrtWasm(ROOT);
    const transformersJson = path.join(path.dirname(require.resolve('@huggingface/transformers')), '..', 'package.json');
    const transformers = JSON.parse(readFileSync(transformersJson, 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(files.version).toBe(transformers.dependencies['onnxruntime-web']);
    expect(statSync(files.binary).size).toBeGreaterThan(1_000_000);
    expect(statSync(files.factory).size).toBeGreaterThan(1_000);
  });

  it('match the onnxruntime-web the engine imports', () => {
    const engineOrt = JSON.parse(readFileSync(path.join(path.dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm')), '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(engineOrt.version).toBe(locateOrtWasm(ROOT).version);
  });
});
