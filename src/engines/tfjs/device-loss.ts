import { GlassboxError } from '../../core/contract/errors';
import type { GpuDeviceLoss } from './backend';

/**
 * Turns a lost WebGPU device into a DEVICE_LOST error for the batch that was running and for
 * every later one. A read from a lost device can wait forever; racing it against the device's
 * `lost` promise is what keeps a request from hanging.
 */
export class DeviceLossGuard {
  private loss: GlassboxError | undefined;
  private readonly listeners = new Set<(error: GlassboxError) => void>();

  /** Follows `lost` (GPUDevice.lost) of the device the model runs on; `onLost` runs once it is gone. */
  watch(lost: Promise<GpuDeviceLoss>, onLost?: () => void): void {
    lost.then(
      (info) => {
        this.markLost(info);
        onLost?.();
      },
      () => undefined,
    );
  }

  get lost(): boolean {
    return this.loss !== undefined;
  }

  /** Throws DEVICE_LOST when the device is gone. */
  assertUsable(): void {
    if (this.loss) throw this.loss;
  }

  /** `work`, unless the device is lost first: then DEVICE_LOST. */
  run<T>(work: Promise<T>): Promise<T> {
    if (this.loss) {
      work.catch(() => undefined);
      return Promise.reject(this.loss);
    }
    return new Promise<T>((resolve, reject) => {
      this.listeners.add(reject);
      work.then(resolve, reject).finally(() => this.listeners.delete(reject));
    });
  }

  /**
   * The DEVICE_LOST error if the device is lost within `ms`. A failing GPU read often rejects
   * (mapAsync aborted) a moment before `lost` settles; waiting briefly names the real cause.
   */
  async lossWithin(ms: number): Promise<GlassboxError | undefined> {
    if (this.loss) return this.loss;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.listeners.add(done);
    });
    return this.loss;
  }

  private markLost(info: GpuDeviceLoss): void {
    const detail = [info.reason, info.message].filter((part) => part && part.trim()).join(': ');
    const loss = new GlassboxError(
      'DEVICE_LOST',
      `The WebGPU device was lost${detail ? ` (${detail})` : ''}. Load the model again; choose WebAssembly if it keeps happening.`,
    );
    this.loss = loss;
    for (const listener of [...this.listeners]) listener(loss);
    this.listeners.clear();
  }
}
