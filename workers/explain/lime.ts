/**
 * LIME, as the reference package computes it (src/core/explain/lime.ts), optionally in adaptive rounds that
 * stop once the top words settle; with a bootstrap spread per word and the agreement of fits on two
 * halves of the samples, both from the samples already drawn.
 */
import {
  concatPerturbations,
  createPerturbationSampler,
  explainLabels,
  kernelWeights,
  rankingCoefficients,
  refitSurrogate,
  selectColumns,
  selectRows,
  unperturbedRow,
  type Perturbations,
  type SurrogateFit,
} from '../../src/core/explain/lime';
import { agreementK, bootstrapSpread, BOOTSTRAP_DRAWS, topKAgreement } from '../../src/core/explain/stability';
import { chooseLabels, TopWordsWatch, type LabelWeights, type MethodContext, type MethodOutcome } from './method';

export async function explainWithLime({ indexed, settings, evaluator, meter }: MethodContext): Promise<MethodOutcome> {
  const features = indexed.features.length;
  const sampler = createPerturbationSampler(features, settings.seed);
  const total = settings.numSamples;
  const roundSize = settings.adaptive?.roundSize ?? total;
  const rounds: Perturbations[] = [];
  let probabilities: Float32Array[] = [];
  let labels: number[] = [];
  let fits: SurrogateFit[] = [];
  const watch = new TopWordsWatch(settings.adaptive);
  let converged = false;
  let rows = 0;
  const report = (done: number) => meter.add(done);
  while (rows < total && !converged) {
    const size = Math.min(roundSize, total - rows);
    const round = rows === 0 ? concatPerturbations([unperturbedRow(features), sampler.next(size - 1)]) : sampler.next(size);
    probabilities = probabilities.concat(await evaluator.evaluate(round, report));
    rounds.push(round);
    rows += size;
    if (rounds.length === 1) labels = chooseLabels(settings, probabilities[0]);
    // Without adaptive sampling there is a single round of numSamples.
    fits = explainLabels(concatPerturbations(rounds), probabilities, labels, settings);
    converged = watch.settled(fits.map((fit) => ({ reported: fit.weights })));
  }
  meter.methodDone(rows);

  const samples = concatPerturbations(rounds);
  const kernel = kernelWeights(samples);
  const scoresOf = (label: number) => Float64Array.from(probabilities, (row) => row[label]);
  const weights: LabelWeights[] = fits.map((fit) => {
    const scores = scoresOf(fit.labelIndex);
    const selected = fit.weights.map((w) => w.feature);
    const columns = selectColumns(samples, selected);
    // Row 0, the text itself, stays in every resample, as it stays in every LIME neighbourhood.
    const rowScale = new Float64Array(rows);
    rowScale[0] = 1;
    const spread = bootstrapSpread(rows - 1, settings.seed, (multiplicity) => {
      rowScale.set(multiplicity, 1);
      return refitSurrogate(columns, kernel, scores, rowScale);
    });
    // The words LIME did not select still need a place in the ranking: the light ridge over all
    // words that highest_weights ranks with gives it.
    const all = rankingCoefficients(samples, scores);
    fit.weights.forEach((w) => (all[w.feature] = w.weight));
    return {
      labelIndex: fit.labelIndex,
      all,
      reported: fit.weights.map((w, i) => ({ feature: w.feature, weight: w.weight, spread: spread[i] })),
      intercept: fit.intercept,
      r2: fit.r2,
      localPrediction: fit.localPrediction,
    };
  });

  return {
    labels: weights,
    original: probabilities[0],
    samples: rows,
    stability: { topKAgreement: halvesAgreement(samples, probabilities, labels[0], settings), k: agreementK(settings.numFeatures), bootstrapDraws: BOOTSTRAP_DRAWS },
    ...(settings.adaptive ? { adaptive: { rounds: rounds.length, converged } } : {}),
  };
}

/** Top-k agreement of the first label's surrogates fitted on the odd and on the even samples (row 0 in both). */
function halvesAgreement(samples: Perturbations, probabilities: Float32Array[], label: number, settings: MethodContext['settings']): number {
  const odd: number[] = [0];
  const even: number[] = [0];
  for (let r = 1; r < samples.rows; r++) (r % 2 === 1 ? odd : even).push(r);
  if (even.length < 2) return 1;
  const fit = (rows: number[]) => {
    const [result] = explainLabels(selectRows(samples, rows), rows.map((r) => probabilities[r]), [label], settings);
    return result.weights.map((w) => ({ word: String(w.feature), weight: w.weight }));
  };
  return topKAgreement(fit(odd), fit(even), agreementK(settings.numFeatures));
}
