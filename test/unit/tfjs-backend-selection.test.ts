import { describe, expect, it } from 'vitest';
import { toGlassboxError } from '../../src/core/contract/errors';
import type { BackendName } from '../../src/core/contract/types';
import { backendOrder, startFirstWorking, type BackendStarters } from '../../src/engines/tfjs/backend-selection';

/** Starters that succeed or fail as told, recording what was tried. */
function starters(outcomes: Record<BackendName, string | 'ok' | 'hang'>): { starters: BackendStarters; tried: BackendName[] } {
  const tried: BackendName[] = [];
  const make = (name: BackendName) => ({
    start: () => {
      tried.push(name);
      const outcome = outcomes[name];
      if (outcome === 'ok') return Promise.resolve();
      if (outcome === 'hang') return new Promise<void>(() => undefined);
      return Promise.reject(new Error(outcome));
    },
    describe: async () => `${name} device`,
  });
  return { starters: { webgpu: make('webgpu'), wasm: make('wasm'), cpu: make('cpu') }, tried };
}

describe('TF.js backend selection', () => {
  it('tries WebGPU, WebAssembly, then cpu under auto; an explicit WebGPU alone; WebAssembly with cpu behind it', () => {
    expect(backendOrder('auto')).toEqual(['webgpu', 'wasm', 'cpu']);
    expect(backendOrder('webgpu')).toEqual(['webgpu']);
    expect(backendOrder('wasm')).toEqual(['wasm', 'cpu']);
  });

  it('uses the first backend that starts, with no fallback reason', async () => {
    const { starters: s, tried } = starters({ webgpu: 'ok', wasm: 'ok', cpu: 'ok' });
    await expect(startFirstWorking(backendOrder('auto'), s)).resolves.toEqual({ backend: 'webgpu', device: 'webgpu device' });
    expect(tried).toEqual(['webgpu']);
  });

  it('names every backend that failed and why, and the one it uses', async () => {
    const { starters: s, tried } = starters({ webgpu: 'no adapter.', wasm: 'the .wasm file is missing', cpu: 'ok' });
    const active = await startFirstWorking(backendOrder('auto'), s);
    expect(tried).toEqual(['webgpu', 'wasm', 'cpu']);
    expect(active).toEqual({
      backend: 'cpu',
      device: 'cpu device',
      fallbackReason:
        'WebGPU could not be used (no adapter); WebAssembly could not be used (the .wasm file is missing); using the plain JavaScript (cpu) backend instead.',
    });
  });

  it('keeps failures found earlier (WebGPU that could not run the model) in the reason', async () => {
    const { starters: s } = starters({ webgpu: 'ok', wasm: 'ok', cpu: 'ok' });
    const active = await startFirstWorking(['wasm', 'cpu'], s, [{ backend: 'webgpu', reason: 'it could not run the model: out of memory' }]);
    expect(active.fallbackReason).toBe('WebGPU could not be used (it could not run the model: out of memory); using WebAssembly instead.');
  });

  it('refuses an explicit WebGPU request that cannot be met, saying what to choose instead', async () => {
    const { starters: s } = starters({ webgpu: 'navigator.gpu is missing', wasm: 'ok', cpu: 'ok' });
    const error = await startFirstWorking(backendOrder('webgpu'), s).catch((e: unknown) => toGlassboxError(e));
    expect(error).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    expect(toGlassboxError(error).detail).toBe('WebGPU was requested but cannot run here (WebGPU: navigator.gpu is missing). Choose WebAssembly or auto.');
  });

  it('fails with every reason when nothing starts', async () => {
    const { starters: s } = starters({ webgpu: 'a', wasm: 'b', cpu: 'c' });
    const error = toGlassboxError(await startFirstWorking(backendOrder('auto'), s).catch((e: unknown) => e));
    expect(error.code).toBe('BACKEND_UNAVAILABLE');
    expect(error.detail).toBe('No TensorFlow.js backend could start (WebGPU: a; WebAssembly: b; the plain JavaScript (cpu) backend: c). Try the ONNX engine, or another browser.');
  });

  it('gives up on a backend that never finishes starting, so a load cannot hang', async () => {
    const { starters: s } = starters({ webgpu: 'hang', wasm: 'ok', cpu: 'ok' });
    const active = await startFirstWorking(backendOrder('auto'), s, [], 20);
    expect(active.backend).toBe('wasm');
    expect(active.fallbackReason).toMatch(/^WebGPU could not be used \(it did not start within 0 s\)/);
  });

  it('reads the message of plain-object rejections, as TF.js WebAssembly produces them', async () => {
    const { starters: s } = starters({ webgpu: 'x', wasm: 'ok', cpu: 'ok' });
    s.webgpu.start = () => Promise.reject({ message: 'Make sure the server can serve the `.wasm` file' });
    const active = await startFirstWorking(backendOrder('auto'), s);
    expect(active.fallbackReason).toContain('(Make sure the server can serve the `.wasm` file)');
  });
});
