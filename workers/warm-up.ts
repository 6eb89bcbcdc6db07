import type { WarmUpResult } from '../src/core/contract/classifier-api';
import { hasSettled, WARM_UP_PLAN, warmUpTexts } from '../src/core/jobs/warm-up';
import { nextTask } from './next-task';

export interface WarmUpDeps {
  /** Runs one piece of made-up texts through the model (one job in the model queue). */
  run(texts: string[]): Promise<unknown>;
  /** Texts the explanations put in one model call: the last piece is one such batch. */
  batchSize: number;
  /** Aborted when any other model work is asked for: the warm-up then stops after the piece running. */
  signal: AbortSignal;
  now(): number;
}

/**
 * Runs pieces until the model's speed settles (src/core/jobs/warm-up.ts) or the plan's limit, then one
 * full batch, so that the memory a batch of an explanation needs is allocated before it is needed
 * (measured: the first full batch after a warm-up of small pieces still took 40% longer). Stops
 * before the next piece once the signal aborts.
 */
export async function warmUpModel(deps: WarmUpDeps): Promise<WarmUpResult> {
  const texts = warmUpTexts();
  const started = deps.now();
  const pieceMs: number[] = [];
  const result = (outcome: WarmUpResult['outcome']): WarmUpResult => ({ outcome, pieces: pieceMs.length, ms: Math.round(deps.now() - started), pieceMs });
  const runPiece = async (pieceTexts: string[]): Promise<boolean> => {
    // Lets a waiting request in (and abort this) before each piece.
    await nextTask();
    if (deps.signal.aborted) return false;
    const pieceStarted = deps.now();
    await deps.run(pieceTexts);
    pieceMs.push(Math.round(deps.now() - pieceStarted));
    return true;
  };
  let outcome: WarmUpResult['outcome'] = 'limit';
  while (pieceMs.length < WARM_UP_PLAN.maxPieces) {
    if (!(await runPiece(texts))) return result('interrupted');
    if (hasSettled(pieceMs)) {
      outcome = 'settled';
      break;
    }
  }
  const fullBatch = Array.from({ length: deps.batchSize }, (_, i) => texts[i % texts.length]);
  return result((await runPiece(fullBatch)) ? outcome : 'interrupted');
}
