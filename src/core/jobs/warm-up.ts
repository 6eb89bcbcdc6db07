/**
 * When an idle warm-up of a WebAssembly model can stop. Browsers first run WebAssembly through a
 * quick baseline compiler and recompile a function with the optimising compiler only once it has
 * run enough: measured on the shipped models, ONNX Runtime's first explanation after loading took
 * 6-7 s where a warm one takes 2 s, and a four-text piece took 700 ms cold against 120 ms warm.
 * Running the model on made-up text while the page waits for the person pays that cost before it
 * is noticed. The pieces get faster as functions are optimised; once several in a row stay close to
 * the fastest, more pieces would not change anything.
 */
export const WARM_UP_PLAN = Object.freeze({
  /** Texts per piece: one piece must be short, since a request that arrives waits for it. */
  textsPerPiece: 4,
  /** Words per made-up text: about the length of a text people explain. */
  wordsPerText: 100,
  /**
   * Fewer pieces than this never count as settled. The optimising compiler takes functions one at
   * a time, so the times can stall on a plateau before they fall again (measured: 430, 370, 260,
   * 340, 300, 280, 260 ms, and a batch after that still 2.8 times slower than warm); on two cores
   * the shipped models were warm after 14 to 16 pieces.
   */
  minPieces: 16,
  /** This many pieces in a row within `tolerance` of the fastest one settle it. */
  settledPieces: 3,
  tolerance: 1.2,
  /** Stop here even when the times still move (a busy machine). */
  maxPieces: 40,
});

/** Whether the times of the pieces run so far show the model has reached its steady speed. */
export function hasSettled(pieceMs: readonly number[], plan: typeof WARM_UP_PLAN = WARM_UP_PLAN): boolean {
  if (pieceMs.length < Math.max(plan.minPieces, plan.settledPieces)) return false;
  const fastest = Math.min(...pieceMs);
  return pieceMs.slice(-plan.settledPieces).every((ms) => ms <= fastest * plan.tolerance);
}

/** The made-up texts of one piece: ordinary words, so the tokenizer makes about one token each. */
export function warmUpTexts(plan: typeof WARM_UP_PLAN = WARM_UP_PLAN): string[] {
  const words = ['the', 'report', 'said', 'people', 'would', 'watch', 'a', 'new', 'film', 'about', 'market', 'prices', 'this', 'year'];
  const text = Array.from({ length: plan.wordsPerText }, (_, i) => words[i % words.length]).join(' ');
  return Array.from({ length: plan.textsPerPiece }, () => text);
}
