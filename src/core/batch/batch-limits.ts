import { formatBytes } from '../model-folder/model-card';
import { GlassboxError } from '../contract/errors';

/**
 * What one batch run accepts. The input is streamed, so these bound time and the results file
 * rather than parsing: at the WebAssembly speed measured here (about 60 rows a second) 100,000
 * rows take half an hour, and the results repeat every input column.
 */
export interface BatchLimits {
  /** Input size: bytes of a file, characters of pasted text. */
  maxBytes: number;
  /** Data rows (blank rows do not count). */
  maxRows: number;
  /** One CSV row; longer means a quote that is never closed, and would make the reader re-scan it. */
  maxRowChars: number;
}

export const BATCH_LIMITS: BatchLimits = {
  maxBytes: 256 * 1024 * 1024,
  maxRows: 100_000,
  maxRowChars: 1_000_000,
};

export function checkInputSize(size: number, name: string, limits: BatchLimits): void {
  if (size > limits.maxBytes) {
    throw new GlassboxError(
      'CSV_INVALID',
      `${name} is ${formatBytes(size)}; batch mode reads up to ${formatBytes(limits.maxBytes)} at a time. Split it into smaller files.`,
    );
  }
}

/** Called while counting: `position`/`size` estimate how many rows the whole input has. */
export function tooManyRows(rows: number, position: number, size: number, name: string, limits: BatchLimits): GlassboxError {
  const estimate = position > 0 && position < size ? ` (about ${Math.round((rows * size) / position).toLocaleString('en')} in all)` : '';
  return new GlassboxError(
    'CSV_INVALID',
    `${name} has more than ${limits.maxRows.toLocaleString('en')} data rows${estimate}; batch mode classifies up to ${limits.maxRows.toLocaleString('en')} rows at a time. Split it into smaller files.`,
  );
}

export function rowTooLong(row: number, limits: BatchLimits): GlassboxError {
  return new GlassboxError(
    'CSV_INVALID',
    `Row ${row.toLocaleString('en')} runs past ${limits.maxRowChars.toLocaleString('en')} characters, which almost always means a quote (") that is opened and never closed. Fix the quotes in that row, or save the file again as CSV.`,
  );
}
