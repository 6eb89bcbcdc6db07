import { describe, expect, it } from 'vitest';
import { withProgress } from '../../src/core/jobs/late-progress';

describe('withProgress', () => {
  it('hands on the reports made while the call runs and drops those that arrive after it settled', async () => {
    const heard: number[] = [];
    let report: (n: number) => void = () => {};
    const value = await withProgress<string, number>(
      async (onProgress) => {
        report = onProgress;
        onProgress(1);
        onProgress(2);
        return 'done';
      },
      (n) => heard.push(n),
    );
    report(3);
    expect(value).toBe('done');
    expect(heard).toEqual([1, 2]);
  });

  it('drops late reports after a failure too, and passes the failure on', async () => {
    const heard: number[] = [];
    let report: (n: number) => void = () => {};
    const failed = withProgress<string, number>(
      async (onProgress) => {
        report = onProgress;
        throw new Error('broken');
      },
      (n) => heard.push(n),
    );
    await expect(failed).rejects.toThrow('broken');
    report(1);
    expect(heard).toEqual([]);
  });
});
