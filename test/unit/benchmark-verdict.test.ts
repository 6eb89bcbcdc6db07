import { describe, expect, it } from 'vitest';
import { checkBenchmarkRequest } from '../../src/core/benchmark/benchmark-request';
import type { BenchmarkRow } from '../../src/core/contract/benchmark-types';
import { canSwitchTo, fastest, formatRatio, isSoftwareAdapter, rowName, runsOn } from '../../src/core/benchmark/benchmark-verdict';
import { toGlassboxError } from '../../src/core/contract/errors';

function row(engine: BenchmarkRow['engine'], backend: BenchmarkRow['backend'], median: number, textsPerSecond: number): BenchmarkRow {
  return {
    engine,
    backend,
    status: 'done',
    info: { engine, backend, device: 'test' },
    latencyMs: { median, mean: median, min: median, runs: 3 },
    batch: { size: 32, medianMs: 32_000 / textsPerSecond, textsPerSecond, runs: 1 },
  };
}

const failed: BenchmarkRow = { engine: 'onnx', backend: 'webgpu', status: 'unavailable', reason: 'no WebGPU' };

describe('fastest', () => {
  const onnxWasm = row('onnx', 'wasm', 38, 18.5);
  const tfjsWasm = row('tfjs', 'wasm', 88, 9.6);
  const tfjsCpu = row('tfjs', 'cpu', 1077, 0.9);

  it('names the combination with the lowest median time per text and how much faster it is than the next', () => {
    const verdict = fastest([tfjsCpu, failed, tfjsWasm, onnxWasm], 'latency');
    expect(verdict?.winner).toBe(onnxWasm);
    expect(verdict?.runnerUp).toBe(tfjsWasm);
    expect(verdict?.text).toBe('Fastest here: ONNX Runtime on WebAssembly, 2.3x TF.js on WebAssembly.');
  });

  it('ranks by texts per second for batches, which can pick another winner', () => {
    const slowPerText = row('onnx', 'wasm', 238, 18.5);
    const quickPerText = row('tfjs', 'wasm', 65, 9.6);
    expect(fastest([slowPerText, quickPerText], 'latency')?.winner).toBe(quickPerText);
    expect(fastest([slowPerText, quickPerText], 'throughput')?.text).toBe('Most texts per second: ONNX Runtime on WebAssembly, 1.9x TF.js on WebAssembly.');
  });

  it('says so when only one ran, when two are about as fast, and nothing when none ran', () => {
    expect(fastest([tfjsWasm, failed], 'latency')?.text).toBe('Fastest here: TF.js on WebAssembly, the only combination measured.');
    expect(fastest([row('onnx', 'wasm', 100, 10), row('tfjs', 'wasm', 103, 10)], 'latency')?.text).toBe(
      'Fastest here: ONNX Runtime on WebAssembly, about as fast as TF.js on WebAssembly.',
    );
    expect(fastest([failed], 'latency')).toBeUndefined();
  });

  it('names a combination that fell back by the backend that really ran', () => {
    const fellBack: BenchmarkRow = { ...tfjsWasm, info: { engine: 'tfjs', backend: 'cpu', device: 'cpu' }, fallbackReason: 'no WebAssembly' };
    expect(rowName(fellBack)).toBe('TF.js on plain JavaScript');
    expect(formatRatio(2.345)).toBe('2.3x');
    expect(formatRatio(14.4)).toBe('14x');
  });

  it('offers to switch to measured WebGPU and WebAssembly rows only, and knows the one in use', () => {
    expect([onnxWasm, tfjsCpu, failed].map(canSwitchTo)).toEqual([true, false, false]);
    expect(runsOn(onnxWasm, { engine: 'onnx', backend: 'wasm' })).toBe(true);
    expect(runsOn(onnxWasm, { engine: 'tfjs', backend: 'wasm' })).toBe(false);
    expect(runsOn(onnxWasm, undefined)).toBe(false);
  });
});

describe('isSoftwareAdapter', () => {
  it('recognises SwiftShader and other software adapters, and not real GPUs', () => {
    expect(isSoftwareAdapter('google swiftshader (software fallback adapter)')).toBe(true);
    expect(isSoftwareAdapter('WebGPU: google swiftshader')).toBe(true);
    expect(isSoftwareAdapter('mesa llvmpipe')).toBe(true);
    expect(isSoftwareAdapter('nvidia ampere NVIDIA GeForce RTX 3060')).toBe(false);
    expect(isSoftwareAdapter(undefined)).toBe(false);
  });
});

describe('checkBenchmarkRequest', () => {
  /** The code and the message of what `work` throws, as "[CODE] message". */
  const codeOf = (work: () => unknown) => {
    try {
      work();
    } catch (error) {
      const failure = toGlassboxError(error);
      return `[${failure.code}] ${failure.message}`;
    }
    return 'accepted';
  };

  it('fills in the defaults and lets a combination override the repetitions', () => {
    expect(
      checkBenchmarkRequest({ combinations: [{ engine: 'onnx', backend: 'wasm' }, { engine: 'tfjs', backend: 'cpu', repetitions: 3, batchRepetitions: 1 }], repetitions: 5 }),
    ).toEqual({
      combinations: [
        { engine: 'onnx', backend: 'wasm', repetitions: 5, batchRepetitions: 2 },
        { engine: 'tfjs', backend: 'cpu', repetitions: 3, batchRepetitions: 1 },
      ],
      tokens: 128,
      batchSize: 32,
    });
  });

  it('says what is wrong with a bad request', () => {
    expect(codeOf(() => checkBenchmarkRequest({ combinations: [] }))).toBe('[BAD_INPUT] A benchmark needs at least one engine and backend to measure.');
    expect(codeOf(() => checkBenchmarkRequest({ combinations: [{ engine: 'torch' as 'onnx', backend: 'wasm' }] }))).toBe('[BAD_INPUT] Unknown engine "torch": use onnx or tfjs.');
    expect(
      codeOf(() =>
        checkBenchmarkRequest({
          combinations: [
            { engine: 'onnx', backend: 'wasm' },
            { engine: 'onnx', backend: 'wasm' },
          ],
        }),
      ),
    ).toBe('[BAD_INPUT] onnx/wasm is asked for twice; list each engine and backend once.');
    expect(codeOf(() => checkBenchmarkRequest({ combinations: [{ engine: 'onnx', backend: 'wasm', repetitions: 2.5 }] }))).toBe(
      '[BAD_INPUT] onnx/wasm repetitions must be a whole number from 1 to 1000, got 2.5.',
    );
    expect(codeOf(() => checkBenchmarkRequest({ combinations: [{ engine: 'onnx', backend: 'wasm' }], tokens: 4096 }))).toBe(
      '[BAD_INPUT] tokens must be a whole number from 8 to 512, got 4096.',
    );
  });
});
