import { GlassboxError } from '../contract/errors';

export interface PaddedBatch {
  /** Row-major [rows, length] token ids, padded on the right. */
  inputIds: BigInt64Array;
  /** 1 for real tokens, 0 for padding. */
  attentionMask: BigInt64Array;
  shape: [rows: number, length: number];
}

/** One padded int64 batch from token id rows of different lengths (BERT pads on the right). */
export function padBatch(rows: readonly (readonly number[])[], padId: number): PaddedBatch {
  if (rows.length === 0) throw new GlassboxError('BAD_INPUT', 'A batch needs at least one text.');
  const length = Math.max(...rows.map((row) => row.length));
  if (length === 0) throw new GlassboxError('BAD_INPUT', 'Every text in the batch tokenized to nothing.');
  const inputIds = new BigInt64Array(rows.length * length).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(rows.length * length);
  rows.forEach((row, r) => {
    row.forEach((id, i) => {
      inputIds[r * length + i] = BigInt(id);
      attentionMask[r * length + i] = 1n;
    });
  });
  return { inputIds, attentionMask, shape: [rows.length, length] };
}
