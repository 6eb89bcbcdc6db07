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
