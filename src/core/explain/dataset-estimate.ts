import type { DatasetPlan } from '../contract/dataset-types';

/**
 * How long explaining `rows` rows of the planned file should take, in ms: the timed cost of a
 * token-run times the file's token-runs, scaled to the rows asked for (a random sample costs, on
 * average, its share of the whole).
 */
export function estimateDatasetMs(plan: DatasetPlan, rows: number): number {
  const share = Math.min(1, Math.max(0, rows) / plan.explainable);
  return plan.msPerTokenRun * plan.tokenRuns * share;
}
