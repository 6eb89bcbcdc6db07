import { ENGINE_FILES } from './model-card';
import type { LoadProgress, ModelFile } from '../contract/types';

interface FileBytes {
  loaded: number;
  total: number;
}

/**
 * Folds per-file download events into one progress figure for the whole model.
 * Files announce their size before their bytes arrive (from the model card, or from a
 * Content-Length), so the total is known early and the bar moves even when the server compresses
 * the files and sends no length. Byte counts never exceed a known size, and a file's total grows
 * only when more bytes arrive than anything announced.
 */
export class DownloadProgress {
  private readonly files = new Map<string, FileBytes>();

  /** The sizes the model card lists for the files the engines download. */
  expectListed(listed: readonly ModelFile[]): void {
    for (const file of listed) if ((ENGINE_FILES as readonly string[]).includes(file.path)) this.expect(file.path, file.bytes);
  }

  /** A size known before downloading. */
  expect(file: string, total: number): void {
    if (!(total > 0)) return;
    const current = this.files.get(file);
    this.files.set(file, { loaded: current?.loaded ?? 0, total: Math.max(total, current?.total ?? 0) });
  }

  /** Records bytes received for `file` (total 0 when unknown) and returns the progress of the whole download. */
  update(file: string, loaded: number, total: number): LoadProgress {
    const known = this.files.get(file);
    const fileTotal = known && known.total > 0 ? Math.max(known.total, loaded) : Math.max(total > 0 ? total : 0, loaded);
    this.files.set(file, { loaded: Math.max(loaded, known?.loaded ?? 0), total: fileTotal });
    return this.snapshot(file);
  }

  /** Marks `file` complete (a cached or tiny file may finish without byte events). */
  finish(file: string): LoadProgress {
    const known = this.files.get(file);
    if (known) this.files.set(file, { loaded: known.total, total: known.total });
    return this.snapshot(file);
  }

  snapshot(file?: string): LoadProgress {
    let loaded = 0;
    let total = 0;
    for (const bytes of this.files.values()) {
      loaded += bytes.loaded;
      total += bytes.total;
    }
    const current = file === undefined ? undefined : this.files.get(file);
    return {
      phase: 'download',
      ...(file === undefined ? {} : { file }),
      ...(current ? { fileLoaded: current.loaded, fileTotal: current.total } : {}),
      loaded,
      total,
      progress: total > 0 ? Math.min(1, loaded / total) : 0,
    };
  }
}

/** Progress messages cross a worker boundary: a few per second are plenty for a progress bar. */
export const PROGRESS_INTERVAL_MS = 80;

/**
 * A model load's progress as both engines report it: the files' bytes folded into one figure
 * (sized from the card where it lists them), sent at most every PROGRESS_INTERVAL_MS while bytes
 * arrive; a file's end, and every other report, go out at once.
 */
export class DownloadReporter {
  private readonly files = new DownloadProgress();
  private last = 0;

  constructor(
    private readonly onProgress: ((progress: LoadProgress) => void) | undefined,
    listed: readonly ModelFile[] = [],
    private readonly now: () => number = () => Date.now(),
  ) {
    this.files.expectListed(listed);
  }

  /** Bytes received for `file` (total 0 when unknown). */
  bytes(file: string, loaded: number, total: number): void {
    const progress = this.files.update(file, loaded, total);
    // Complete by the size known for it (the card's, else the response's): a length-less response is not complete at every chunk.
    this.emit(progress, (progress.fileLoaded ?? 0) >= (progress.fileTotal ?? 0));
  }

  /** `file` is complete (a cached or tiny file may finish without byte events). */
  finish(file: string): void {
    this.emit(this.files.finish(file));
  }

  /** Sends `progress`; unless `force`d, only when the last report is old enough. */
  emit(progress: LoadProgress, force = true): void {
    if (!this.onProgress) return;
    const now = this.now();
    if (!force && now - this.last < PROGRESS_INTERVAL_MS) return;
    this.last = now;
    this.onProgress(progress);
  }
}
