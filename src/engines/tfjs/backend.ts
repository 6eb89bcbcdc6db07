import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../../core/contract/types';
import { detectWebGpu, resetWebGpuDetection } from '../backends';
import type { BackendStarters } from './backend-selection';
import type { TfjsWasmPaths } from './wasm-files';
import { messageOf } from '../../core/contract/errors';

/** What a WebGPU backend exposes of its device: the promise that settles when the device is lost. */
export interface GpuDeviceLoss {
  reason?: string;
  message?: string;
}

const PRIORITIES: Record<BackendName, number> = { webgpu: 3, wasm: 2, cpu: 1 };
const lastStartFailure = new Map<BackendName, unknown>();
const wrapped = new Set<BackendName>();
let wasmPathsApplied: TfjsWasmPaths | undefined;
let gpuBackendLost = false;

/** The real TF.js backends, each imported only when tried, so a page on WebAssembly never loads the WebGPU code. */
export function tfjsBackendStarters(wasmPaths: TfjsWasmPaths | undefined): BackendStarters {
  return {
    webgpu: {
      async start() {
        replaceLostGpuBackend();
        const support = await detectWebGpu();
        if (!support.available) throw new Error(support.reason ?? 'no WebGPU adapter');
        await import('@tensorflow/tfjs-backend-webgpu');
        await activate('webgpu');
      },
      async describe() {
        const support = await detectWebGpu();
        return `WebGPU: ${support.adapter ?? 'adapter'}`;
      },
    },
    wasm: {
      async start() {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        // The threaded build starts its helper workers from the source text of a function that
        // closes over a variable of its module; once bundled and minified that variable is gone
        // and every helper fails ("e is not defined"). One thread works everywhere.
        tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
        if (wasmPaths !== undefined && wasmPaths !== wasmPathsApplied && !isStarted('wasm')) {
          wasm.setWasmPaths(wasmPaths);
          wasmPathsApplied = wasmPaths;
        }
        try {
          await activate('wasm');
        } catch (error) {
          throw new Error(`its .wasm binary could not be loaded or compiled: ${messageOf(error)}`);
        }
      },
      async describe() {
        const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
        const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
        const threads = getThreadsCount();
        return `WebAssembly${simd ? ' with SIMD' : ''}, ${threads} thread${threads === 1 ? '' : 's'}`;
      },
    },
    cpu: {
      async start() {
        await import('@tensorflow/tfjs-backend-cpu');
        await activate('cpu');
      },
      async describe() {
        return 'TF.js cpu backend (plain JavaScript, one thread)';
      },
    },
  };
}

/**
 * Makes `name` the active backend. TF.js only logs why a backend failed to initialise, so its
 * factory is wrapped once to keep the error, and the reason reaches the person using the page.
 */
async function activate(name: BackendName): Promise<void> {
  tf.enableProdMode();
  wrapFactory(name);
  lastStartFailure.delete(name);
  if (await tf.setBackend(name)) {
    await tf.ready();
    return;
  }
  const failure = lastStartFailure.get(name);
  throw new Error(failure === undefined ? `TensorFlow.js could not initialise its ${name} backend` : messageOf(failure));
}

function wrapFactory(name: BackendName): void {
  if (wrapped.has(name) || isStarted(name)) return;
  const factory = tf.findBackendFactory(name);
  if (!factory) throw new Error(`TensorFlow.js has no ${name} backend in this build`);
  tf.removeBackend(name);
  tf.registerBackend(
    name,
    async () => {
      try {
        return await factory();
      } catch (error) {
        lastStartFailure.set(name, error);
        throw error;
      }
    },
    PRIORITIES[name],
  );
  wrapped.add(name);
}

/** Whether TF.js holds a started instance of `name`. (tf.findBackend would start one as a side effect.) */
function isStarted(name: BackendName): boolean {
  return name in tf.engine().registry;
}

/** The device-lost promise of the active backend, when it runs on a GPU device. */
export function activeDeviceLoss(): Promise<GpuDeviceLoss> | undefined {
  const backend = tf.backend() as unknown as { device?: { lost?: Promise<GpuDeviceLoss> } };
  return backend.device?.lost;
}

/**
 * After a device loss the WebGPU backend is dead but still registered, and TF.js would hand it out
 * again. Marked here, it is replaced by a fresh registration (same factory) on the next start, so
 * the next load gets a new device; until then TF.js keeps a backend to answer calls with.
 */
export function markGpuBackendLost(): void {
  gpuBackendLost = true;
}

function replaceLostGpuBackend(): void {
  if (!gpuBackendLost) return;
  gpuBackendLost = false;
  resetWebGpuDetection();
  const factory = tf.findBackendFactory('webgpu');
  if (!factory) return;
  tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', factory, PRIORITIES.webgpu);
}
