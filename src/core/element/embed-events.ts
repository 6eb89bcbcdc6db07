import type { BatchProgress } from '../contract/batch-types';
import type { ClassifyResult, LoadResult } from '../contract/classifier-api';
import type { ErrorCode, GlassboxError } from '../contract/errors';
import type { AopcScore, Explanation, ExplainMethod, ExplainProgress, Stability, WordWeight } from '../contract/explanation-types';
import type { BackendName, EngineName, LoadProgress } from '../contract/types';

/**
 * The event details of `<glassbox-classifier>` (docs/embedding.md): its public contract.
 * Each is built here from what the worker returned, holding exactly the documented fields, in
 * fresh objects, so a listener that keeps or changes a detail cannot reach the element's state.
 */

export interface GbReadyDetail {
  model: string;
  engine: EngineName;
  backend: BackendName;
}

export interface GbProgressDetail {
  phase: 'download' | 'explain' | 'batch';
  loaded: number;
  total: number;
  /** 0..1 */
  progress: number;
}

/** A classification as the element reports it: text, label, every label's score (highest first, summing to 1), engine, backend, ms, and `unfamiliar` when the text is unlike the training data. */
export type GbResultDetail = Omit<ClassifyResult, 'truncation'>;

export interface GbExplanationDetail {
  text: string;
  /** The explained label: the predicted one. */
  label: string;
  /** Largest |weight| first; positive weights push towards `label`; sampling methods add each weight's `spread`. */
  weights: WordWeight[];
  method: ExplainMethod;
  /** What the weights are in: the label's probability, or its log-odds (kernelshap's default). */
  scale: Explanation['scale'];
  /** Distinct texts the model ran for the weights. */
  modelRuns: number;
  /** Present for lime, kernelshap and gradient (see Explanation). */
  intercept?: number;
  r2?: number;
  localPrediction?: number;
  /** ERASER AOPC of the explanation and of random rankings (absent when the check was switched off). */
  comprehensiveness?: AopcScore;
  sufficiency?: AopcScore;
  /** Sampling methods only. */
  stability?: Stability;
  samples: number;
  ms: number;
}

export interface GbErrorDetail {
  code: ErrorCode;
  /** What went wrong and what to do, without the code prefix. */
  message: string;
}

/** The element's events by name, for typed listeners. */
export interface GlassboxEventDetails {
  'gb-ready': GbReadyDetail;
  'gb-progress': GbProgressDetail;
  'gb-result': GbResultDetail;
  'gb-explanation': GbExplanationDetail;
  'gb-error': GbErrorDetail;
}

export function readyDetail(loaded: LoadResult): GbReadyDetail {
  return { model: loaded.model, engine: loaded.engine, backend: loaded.backend };
}

/**
 * Download, explanation and batch progress. A model's later load phases (compile, warm-up) are
 * not part of the contract: they give undefined, and gb-ready says when the model is ready.
 */
export function progressDetail(progress: LoadProgress | ExplainProgress | BatchProgress): GbProgressDetail | undefined {
  if (progress.phase !== 'download' && progress.phase !== 'explain' && progress.phase !== 'batch') return undefined;
  const fraction = Number.isFinite(progress.progress) ? Math.min(1, Math.max(0, progress.progress)) : 0;
  return { phase: progress.phase, loaded: progress.loaded, total: progress.total, progress: fraction };
}

export function resultDetail(result: ClassifyResult): GbResultDetail {
  return {
    text: result.text,
    label: result.label,
    scores: result.scores.map(({ label, score }) => ({ label, score })).sort((a, b) => b.score - a.score),
    engine: result.engine,
    backend: result.backend,
    ms: result.ms,
    ...(result.unfamiliar ? { unfamiliar: result.unfamiliar } : {}),
  };
}

export function explanationDetail(explanation: Explanation): GbExplanationDetail {
  return {
    text: explanation.text,
    label: explanation.label,
    weights: explanation.weights
      .map(({ word, weight, spread }) => ({ word, weight, ...(spread !== undefined ? { spread } : {}) }))
      .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)),
    method: explanation.method,
    scale: explanation.scale,
    modelRuns: explanation.modelRuns,
    ...optional('intercept', explanation.intercept),
    ...optional('r2', explanation.r2),
    ...optional('localPrediction', explanation.localPrediction),
    ...optional('comprehensiveness', explanation.comprehensiveness),
    ...optional('sufficiency', explanation.sufficiency),
    ...optional('stability', explanation.stability),
    samples: explanation.samples,
    ms: explanation.ms,
  };
}

/** `{key: value}` when the value is there, else nothing: absent fields stay absent in the detail. */
function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

export function errorDetail(error: GlassboxError): GbErrorDetail {
  return { code: error.code, message: error.detail };
}
