import type { LoadProgress } from './types';

interface FileBytes {
  loaded: number;
  total: number;
}

/**
 * Folds per-file download events into one progress figure for the whole model.
 * Files announce their size before their bytes arrive (from a manifest or from the loader's
 * size probe), so the total is known early and the bar does not jump back when a big file starts.
 */
export class DownloadProgress {
  private readonly files = new Map<string, FileBytes>();

  /** Sizes known before downloading, e.g. from manifest.json `files`. */
  expect(file: string, total: number): void {
    if (!(total > 0)) return;
    const current = this.files.get(file);
    this.files.set(file, { loaded: current?.loaded ?? 0, total: Math.max(total, current?.total ?? 0) });
  }

  /** Records bytes received for `file` and returns the progress of the whole download. */
  update(file: string, loaded: number, total: number): LoadProgress {
    const known = this.files.get(file);
    const fileTotal = Math.max(total > 0 ? total : 0, known?.total ?? 0, loaded);
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
    return { phase: 'download', file, loaded, total, progress: total > 0 ? Math.min(1, loaded / total) : 0 };
  }
}
