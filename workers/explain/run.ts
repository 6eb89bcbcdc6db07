/**
 * Explains one prediction with the chosen method, then checks the explanation against the model
 * (comprehensiveness and sufficiency, about 20 runs). Independent of Comlink and of any engine: the
 * worker passes in `classify`, `tokenCount` and, where it can, `attributions`.
 */
import { aopcPlanRows } from '../../src/core/explain/aopc';
import type { ExplainMethod, ExplainOptions, Explanation, LabelExplanation } from '../../src/core/contract/explanation-types';
import type { IndexedWords } from '../../src/core/explain/words';
import { BatchEvaluator, ProgressMeter, type ExplainRunnerDeps } from './evaluator';
import { measureAopc } from './faithfulness';
import { explainWithGradient } from './gradient';
import { explainWithKernelShap } from './kernel-shap';
import { explainWithLime } from './lime';
import type { ExplainMethodRunner, LabelWeights } from './method';
import { explainWithOcclusion } from './occlusion';
import { resolveOptions, type Settings } from './options';
import { indexText } from './words';

const METHODS: Readonly<Record<ExplainMethod, ExplainMethodRunner>> = Object.freeze({
  occlusion: explainWithOcclusion,
  lime: explainWithLime,
  kernelshap: explainWithKernelShap,
  gradient: explainWithGradient,
});

export async function runExplanation(text: string, options: ExplainOptions | undefined, deps: ExplainRunnerDeps): Promise<Explanation> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const settings = resolveOptions(options ?? {}, deps.labels.length);
  const indexed = indexText(text, settings.maxFeatures);
  const features = indexed.features.length;
  const evaluator = new BatchEvaluator(indexed, deps);
  const meter = new ProgressMeter(plannedRuns(settings, features), settings.faithfulness ? aopcPlanRows(features) : 0, deps.onProgress);

  const outcome = await METHODS[settings.method]({ indexed, settings, evaluator, deps, meter });
  const evaluated = evaluator.evaluated;
  const modelRuns = evaluated + (outcome.extraRuns ?? 0);
  const perLabel = outcome.labels.map((label) => labelExplanation(label, indexed, deps.labels, outcome.original));
  const first = outcome.labels[0];
  const faithfulness = settings.faithfulness ? await measureAopc(first.all, first.labelIndex, settings.seed, evaluator, meter) : undefined;

  return {
    ...perLabel[0],
    text,
    method: settings.method,
    scale: settings.method === 'kernelshap' && settings.link === 'logit' ? 'log-odds' : 'probability',
    modelRuns,
    ...(faithfulness
      ? {
          comprehensiveness: faithfulness.comprehensiveness,
          sufficiency: faithfulness.sufficiency,
          faithfulness: {
            counts: faithfulness.counts,
            randomRankings: faithfulness.randomRankings,
            modelRuns: faithfulness.modelRuns,
            betterThanRandom: faithfulness.comprehensiveness.aopc > faithfulness.comprehensiveness.random,
          },
        }
      : {}),
    ...(outcome.stability ? { stability: outcome.stability } : {}),
    ...(outcome.gradient ? { gradient: outcome.gradient } : {}),
    samples: outcome.samples,
    evaluated,
    ms: Math.round(now() - started),
    seed: settings.seed,
    perLabel,
    distinctWords: indexed.distinctWords,
    features,
    capped: features < indexed.distinctWords,
    ...(outcome.adaptive ? { adaptive: outcome.adaptive } : {}),
  };
}

/** The progress bar's total before anything ran: each method's plan (adaptive may end sooner). */
function plannedRuns(settings: Settings, features: number): number {
  switch (settings.method) {
    case 'occlusion':
      return features + 1;
    case 'gradient':
      return 1 + settings.gradient.steps * (settings.labels?.length ?? settings.topLabels);
    case 'lime':
    case 'kernelshap':
      return settings.numSamples;
  }
}

function labelExplanation(label: LabelWeights, indexed: IndexedWords, labelNames: readonly string[], original: Float32Array): LabelExplanation {
  return {
    label: labelNames[label.labelIndex],
    labelIndex: label.labelIndex,
    probability: original[label.labelIndex],
    weights: label.reported.map((w) => ({ word: indexed.features[w.feature], weight: w.weight, ...(w.spread !== undefined ? { spread: w.spread } : {}) })),
    ...(label.intercept !== undefined ? { intercept: label.intercept } : {}),
    ...(label.r2 !== undefined ? { r2: label.r2 } : {}),
    ...(label.localPrediction !== undefined ? { localPrediction: label.localPrediction } : {}),
  };
}
