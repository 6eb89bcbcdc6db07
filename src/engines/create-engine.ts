import { GlassboxError } from '../core/contract/errors';
import type { EngineChoice, EngineName } from '../core/contract/types';
import type { Engine } from './engine';

/**
 * The engines this build can run, each loaded on first use so that a page using one runtime
 * never downloads the other.
 */
const ENGINES: Partial<Record<EngineName, () => Promise<Engine>>> = {
  onnx: async () => {
    const [{ OnnxEngine }, ort, files] = await Promise.all([import('./onnx'), import('onnxruntime-web/webgpu'), import('virtual:ort-wasm')]);
    return new OnnxEngine({ ort, assets: { factoryUrl: files.ortFactoryUrl, binaryUrl: files.ortBinaryUrl, version: files.ortWebVersion } });
  },
  tfjs: async () => {
    const [{ TfjsEngine }, wasm] = await Promise.all([import('./tfjs/engine'), import('virtual:tfjs-wasm')]);
    return new TfjsEngine({ wasmPaths: wasm.tfjsWasmPaths });
  },
};

/** `auto` picks ONNX Runtime: it has the widest operator coverage on both WebGPU and WebAssembly. */
export function resolveEngineChoice(choice: EngineChoice): EngineName {
  return choice === 'auto' ? 'onnx' : choice;
}

export async function createEngine(name: EngineName): Promise<Engine> {
  const create = ENGINES[name];
  if (!create) {
    const available = Object.keys(ENGINES).join(', ');
    throw new GlassboxError('BACKEND_UNAVAILABLE', `The "${name}" engine is not part of this build; choose one of: ${available}, or auto.`);
  }
  return create();
}
