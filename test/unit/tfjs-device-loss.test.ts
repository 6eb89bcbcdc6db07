import { describe, expect, it } from 'vitest';
import { DeviceLossGuard } from '../../src/engines/tfjs/device-loss';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('DeviceLossGuard', () => {
  it('passes results through while the device lives', async () => {
    const guard = new DeviceLossGuard();
    guard.watch(new Promise(() => undefined));
    await expect(guard.run(Promise.resolve(42))).resolves.toBe(42);
    await expect(guard.run(Promise.reject(new Error('kernel failed')))).rejects.toThrow('kernel failed');
    expect(guard.lost).toBe(false);
    expect(() => guard.assertUsable()).not.toThrow();
  });

  it('ends a read that would wait forever with DEVICE_LOST when the device is lost, and refuses later work', async () => {
    const guard = new DeviceLossGuard();
    const lost = deferred<{ reason?: string; message?: string }>();
    guard.watch(lost.promise);
    const hanging = guard.run(new Promise<Float32Array>(() => undefined));
    lost.resolve({ reason: 'unknown', message: 'Device was lost during a batch' });
    await expect(hanging).rejects.toMatchObject({ code: 'DEVICE_LOST' });
    await expect(hanging).rejects.toThrow('The WebGPU device was lost (unknown: Device was lost during a batch). Load the model again');
    expect(guard.lost).toBe(true);
    expect(() => guard.assertUsable()).toThrow(expect.objectContaining({ code: 'DEVICE_LOST' }));
    await expect(guard.run(Promise.resolve(1))).rejects.toMatchObject({ code: 'DEVICE_LOST' });
  });

  it('names the loss as the cause of a read that failed just before the device reported it', async () => {
    const guard = new DeviceLossGuard();
    const lost = deferred<{ reason?: string; message?: string }>();
    let forgotten = 0;
    guard.watch(lost.promise, () => forgotten++);
    await expect(guard.lossWithin(10)).resolves.toBeUndefined();
    const waiting = guard.lossWithin(5_000);
    lost.resolve({ reason: 'destroyed', message: 'Device was destroyed.' });
    await expect(waiting).resolves.toMatchObject({ code: 'DEVICE_LOST' });
    expect(forgotten).toBe(1);
    await expect(guard.lossWithin(0)).resolves.toMatchObject({ code: 'DEVICE_LOST' });
  });
});
