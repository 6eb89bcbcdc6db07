import { afterEach, describe, expect, it, vi } from 'vitest';
import { debounce } from '../../src/ui/debounce';
import { DownloadProgress, DownloadReporter, PROGRESS_INTERVAL_MS } from '../../src/core/model-folder/download-progress';
import { toGlassboxError } from '../../src/core/contract/errors';
import { LatestWins, SerialQueue } from '../../src/core/jobs/sequencer';
import { catchError } from './helpers/error-code';

describe('DownloadProgress', () => {
  it('sums bytes over files, with sizes announced before the bytes arrive', () => {
    const progress = new DownloadProgress();
    progress.expect('config.json', 1_000);
    progress.expect('onnx/model_quantized.onnx', 9_000);
    expect(progress.update('config.json', 1_000, 1_000)).toMatchObject({ phase: 'download', loaded: 1_000, total: 10_000, progress: 0.1 });
    const half = progress.update('onnx/model_quantized.onnx', 4_000, 9_000);
    expect(half).toMatchObject({ file: 'onnx/model_quantized.onnx', loaded: 5_000, total: 10_000, progress: 0.5 });
    expect(progress.finish('onnx/model_quantized.onnx')).toMatchObject({ loaded: 10_000, total: 10_000, progress: 1 });
  });

  it('grows the total for files that report no size, and never goes past 100%', () => {
    const progress = new DownloadProgress();
    expect(progress.update('tokenizer.json', 500, 0)).toMatchObject({ loaded: 500, total: 500, progress: 1 });
    expect(progress.update('tokenizer.json', 800, 0).progress).toBe(1);
  });

  it('moves through intermediate values from the card sizes when the server sends no or a compressed length', () => {
    const progress = new DownloadProgress();
    progress.expectListed([
      { path: 'config.json', bytes: 800 },
      { path: 'onnx/model_quantized.onnx', bytes: 9_200 },
      { path: 'onnx/model.onnx', bytes: 40_000 },
    ]);
    expect(progress.snapshot()).toMatchObject({ loaded: 0, total: 10_000 });
    const lengthless = progress.update('onnx/model_quantized.onnx', 4_600, 0);
    expect(lengthless).toMatchObject({ loaded: 4_600, total: 10_000, fileLoaded: 4_600, fileTotal: 9_200 });
    expect(lengthless.progress).toBeCloseTo(0.46);
    // A gzip Content-Length counts compressed bytes: the card's size of the file itself wins.
    expect(progress.update('config.json', 700, 300)).toMatchObject({ loaded: 5_300, total: 10_000, fileTotal: 800 });
  });
});

describe('DownloadReporter', () => {
  it('sends byte progress at most every interval, and a file that completes at once', () => {
    let clock = 1_000;
    const sent: number[] = [];
    const reporter = new DownloadReporter((progress) => sent.push(progress.loaded), [{ path: 'onnx/model_quantized.onnx', bytes: 1_000 }], () => clock);
    reporter.bytes('onnx/model_quantized.onnx', 100, 0);
    clock += PROGRESS_INTERVAL_MS - 1;
    reporter.bytes('onnx/model_quantized.onnx', 200, 0);
    clock += 1;
    reporter.bytes('onnx/model_quantized.onnx', 300, 0);
    reporter.bytes('onnx/model_quantized.onnx', 1_000, 1_000);
    expect(sent).toEqual([100, 300, 1_000]);
  });
});

describe('LatestWins', () => {
  it('tells older turns they were superseded and cancelled turns that they were cancelled', () => {
    const turns = new LatestWins();
    const first = turns.begin();
    const second = turns.begin();
    expect(() => turns.assertCurrent(second, 'B')).not.toThrow();
    expect(toGlassboxError(catchError(() => turns.assertCurrent(first, 'A'))).code).toBe('SUPERSEDED');
    turns.cancelAll();
    expect(toGlassboxError(catchError(() => turns.assertCurrent(second, 'B'))).code).toBe('CANCELLED');
    const third = turns.begin();
    expect(() => turns.assertCurrent(third, 'C')).not.toThrow();
  });

  it('says whether a turn is still wanted, for callers that drop an answer rather than throw', () => {
    const turns = new LatestWins();
    const first = turns.begin();
    expect(turns.isCurrent(first)).toBe(true);
    const second = turns.begin();
    expect([turns.isCurrent(first), turns.isCurrent(second), turns.newest]).toEqual([false, true, second]);
    turns.cancelAll();
    expect(turns.isCurrent(second)).toBe(false);
    expect(turns.isCurrent(turns.begin())).toBe(true);
  });
});

describe('SerialQueue', () => {
  it('runs jobs one at a time, in order, even when one fails', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const job = (name: string, ms: number, fail = false) => () =>
      new Promise<string>((resolve, reject) => {
        log.push(`start ${name}`);
        setTimeout(() => {
          log.push(`end ${name}`);
          if (fail) reject(new Error(name));
          else resolve(name);
        }, ms);
      });
    const results = await Promise.allSettled([queue.run(job('a', 20)), queue.run(job('b', 1, true)), queue.run(job('c', 1))]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});

describe('debounce', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls once with the newest arguments after a quiet period; flush and cancel work', () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    const typed = debounce((text: string) => calls.push(text), 300);
    typed('h');
    typed('he');
    vi.advanceTimersByTime(299);
    typed('hey');
    vi.advanceTimersByTime(300);
    expect(calls).toEqual(['hey']);
    typed('now');
    typed.flush();
    expect(calls).toEqual(['hey', 'now']);
    typed('never');
    typed.cancel();
    vi.advanceTimersByTime(1000);
    expect(calls).toEqual(['hey', 'now']);
  });
});
