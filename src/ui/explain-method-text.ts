import type { ExplainMethod } from '../core/contract/explanation-types';

/** How the page and the element name each explanation method. */
export const METHOD_NAMES: Readonly<Record<ExplainMethod, string>> = Object.freeze({
  occlusion: 'Leave one word out',
  lime: 'LIME',
  kernelshap: 'Kernel SHAP',
  gradient: 'Gradients',
});

/** "LIME, 1,000 model runs, surrogate R² 0.83, comprehensiveness 0.41 (random 0.05)": which method, what it cost, how faithful. */
export function methodSummary(explanation: {
  method: ExplainMethod;
  modelRuns: number;
  scale: 'probability' | 'log-odds';
  r2?: number;
  comprehensiveness?: { aopc: number; random: number };
}): string {
  const parts = [METHOD_NAMES[explanation.method], `${explanation.modelRuns.toLocaleString('en')} model runs`];
  if (explanation.scale === 'log-odds') parts.push('weights in log-odds');
  if (explanation.r2 !== undefined) parts.push(`surrogate R² ${explanation.r2.toFixed(2)}`);
  const c = explanation.comprehensiveness;
  if (c) parts.push(`comprehensiveness ${c.aopc.toFixed(2)} (random ${c.random.toFixed(2)})`);
  return parts.join(', ');
}
