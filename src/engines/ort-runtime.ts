import type * as Ort from 'onnxruntime-web';
import { GlassboxError } from '../core/contract/errors';

/**
 * The parts of ONNX Runtime the ONNX engine uses. In the browser this is onnxruntime-web (the
 * copy @huggingface/transformers depends on); in Node tests, onnxruntime-node.
 */
export type OrtModule = Pick<typeof Ort, 'InferenceSession' | 'Tensor' | 'env'>;

/** Where the site serves ONNX Runtime's WebAssembly files, and which version they are. */
export interface OrtAssets {
  factoryUrl: string;
  binaryUrl: string;
  version: string;
}

const configured = new WeakSet<object>();

/**
 * Points ONNX Runtime Web at the WASM files the site serves itself (never a CDN), once per
 * runtime. Refuses to run when the served files belong to another ONNX Runtime version than
 * the JavaScript that loads them: the pair must match byte for byte.
 */
export function configureOrtWeb(ort: OrtModule, assets: OrtAssets): void {
  if (configured.has(ort.env)) return;
  const runtime = ort.env.versions?.web;
  if (runtime !== assets.version) {
    throw new GlassboxError(
      'INTERNAL',
      `This build serves ONNX Runtime Web ${assets.version} files but runs version ${runtime ?? 'unknown'}. Reinstall dependencies (npm ci) and rebuild (npm run build).`,
    );
  }
  ort.env.wasm.wasmPaths = { mjs: assets.factoryUrl, wasm: assets.binaryUrl };
  ort.env.wasm.numThreads = wasmThreads();
  // The whole engine already runs in a worker; ORT's own proxy worker would only add a hop.
  ort.env.wasm.proxy = false;
  ort.env.webgpu.powerPreference = 'high-performance';
  ort.env.logLevel = 'error';
  configured.add(ort.env);
}

/**
 * Threads need SharedArrayBuffer, which browsers only give to cross-origin isolated pages
 * (served with COOP/COEP). Elsewhere ONNX Runtime runs single-threaded, which still works.
 */
function wasmThreads(): number {
  const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
  const cores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency || 1;
  return isolated ? Math.max(1, Math.min(4, cores)) : 1;
}

/** How the WASM backend actually runs, after it started (ONNX Runtime drops to 1 thread when it must). */
export function describeWasm(ort: OrtModule): string {
  const threads = Number(ort.env.wasm.numThreads) || 1;
  const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
  const note = isolated ? '' : ' (the page is not cross-origin isolated, so no threads)';
  return `WebAssembly, ${threads} thread${threads === 1 ? '' : 's'}${note}`;
}
