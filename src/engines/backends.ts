import type { WebGpuSupport } from '../core/contract/types';
import { messageOf } from '../core/contract/errors';

/** The slice of the WebGPU API this check needs; typed here so the check also compiles where WebGPU types are absent. */
interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuDeviceLike {
  destroy?(): void;
}
interface GpuAdapterLike {
  info?: GpuAdapterInfoLike;
  isFallbackAdapter?: boolean;
  requestDevice(): Promise<GpuDeviceLike>;
}
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapterLike | null>;
}

let memo: Promise<WebGpuSupport> | undefined;

/**
 * Whether this browser offers a working WebGPU adapter, checked once per worker: the answer does
 * not change while the page is open, and asking twice costs an adapter and a device each time.
 */
export function detectWebGpu(gpu: GpuLike | undefined = navigatorGpu()): Promise<WebGpuSupport> {
  memo ??= probe(gpu);
  return memo;
}

/** Forgets the memoized answer; for tests and after a device loss. */
export function resetWebGpuDetection(): void {
  memo = undefined;
}

function navigatorGpu(): GpuLike | undefined {
  return typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { gpu?: GpuLike }).gpu;
}

async function probe(gpu: GpuLike | undefined): Promise<WebGpuSupport> {
  if (!gpu) {
    return {
      available: false,
      reason: 'This browser has no WebGPU (navigator.gpu is missing, or WebGPU is turned off).',
    };
  }
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return { available: false, reason: `WebGPU refused to give an adapter: ${messageOf(error)}.` };
  }
  if (!adapter) {
    return {
      available: false,
      reason:
        'WebGPU is present but offers no adapter: no supported GPU or driver was found (on Linux, Chromium only enables WebGPU for some GPUs, or with --enable-unsafe-webgpu).',
    };
  }
  try {
    const device = await adapter.requestDevice();
    device.destroy?.();
  } catch (error) {
    return { available: false, reason: `The WebGPU adapter could not open a device: ${messageOf(error)}.` };
  }
  const fallbackAdapter = isFallback(adapter);
  return { available: true, adapter: describeAdapter(adapter), ...(fallbackAdapter ? { fallbackAdapter } : {}) };
}

/**
 * Why `auto` leaves WebGPU out on this device, when WebGPU is available but its only adapter is a
 * software fallback: on such an adapter (Chromium's SwiftShader) the engine comparison measured
 * WebAssembly 61 times faster, and a 256-token text took 15 to 24 s instead of about 1 s.
 * Undefined when `auto` should use WebGPU (or when there is none: nothing to explain then).
 */
export function autoSkipsWebGpu(support: WebGpuSupport): string | undefined {
  if (!support.available || !support.fallbackAdapter) return undefined;
  return `its only adapter here is a software fallback (${support.adapter ?? 'no GPU'}), far slower than WebAssembly; choose WebGPU to use it anyway`;
}

function isFallback(adapter: Pick<GpuAdapterLike, 'info' | 'isFallbackAdapter'>): boolean {
  return adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
}

/** "google swiftshader (software fallback adapter)", or whatever the adapter tells about itself. */
export function describeAdapter(adapter: Pick<GpuAdapterLike, 'info' | 'isFallbackAdapter'>): string {
  const info = adapter.info ?? {};
  const parts = [info.vendor, info.architecture, info.device, info.description]
    .map((part) => part?.trim())
    .filter((part): part is string => Boolean(part));
  const unique = parts.filter((part, index) => parts.indexOf(part) === index);
  const name = unique.length > 0 ? unique.join(' ') : 'unnamed adapter';
  return isFallback(adapter) ? `${name} (software fallback adapter)` : name;
}
