import type { BenchmarkCombination } from '../src/core/contract/benchmark-types';
import { GlassboxError } from '../src/core/contract/errors';
import type { EngineName } from '../src/core/contract/types';
import type { Engine } from '../src/engines/engine';
import type { BenchmarkEngine } from './benchmark-runner';

/**
 * Benchmark engines as the page's own engines are made (createEngine), on the backend asked for.
 * The page never chooses TF.js's cpu backend itself (it is what WebAssembly falls back to), so to
 * measure it the engine is built with WebGPU and WebAssembly turned away.
 */
export function benchmarkEngineFactory(createEngine: (name: EngineName) => Promise<Engine>) {
  return async ({ engine, backend }: BenchmarkCombination): Promise<BenchmarkEngine> => {
    if (backend !== 'cpu') return { engine: await createEngine(engine), loadAs: backend };
    if (engine !== 'tfjs') {
      throw new GlassboxError('BACKEND_UNAVAILABLE', 'ONNX Runtime Web has no plain JavaScript backend; its CPU backend is WebAssembly.');
    }
    const [{ TfjsEngine }, { tfjsBackendStarters }, wasm] = await Promise.all([
      import('../src/engines/tfjs/engine'),
      import('../src/engines/tfjs/backend'),
      import('virtual:tfjs-wasm'),
    ]);
    const real = tfjsBackendStarters(wasm.tfjsWasmPaths);
    const turnedAway = { start: () => Promise.reject(new Error('turned away to measure the cpu backend')), describe: real.wasm.describe };
    return { engine: new TfjsEngine({ starters: { ...real, webgpu: turnedAway, wasm: turnedAway } }), loadAs: 'wasm' };
  };
}
