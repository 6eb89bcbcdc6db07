/**
 * Model outputs of one text's perturbed rows, kept between explanation calls on the same model:
 * the page shows the leave-one-word-out preview first and then asks for the chosen method on the
 * same text, and every row the preview ran (and the faithfulness check after it) is reused rather
 * than run again. One text at a time: asking about another text forgets the last one.
 */
export class RowCache {
  private entry: { key: string; rows: Map<string, Float32Array> } | undefined;

  /** The outputs known for `key` (the text and its features), empty for a new key. */
  rowsFor(key: string): Map<string, Float32Array> {
    if (this.entry?.key !== key) this.entry = { key, rows: new Map() };
    return this.entry.rows;
  }
}
