import { MODEL_LIMITS } from './model-limits';
import type { ModelFile, ModelManifest } from '../contract/types';

export type { ModelFile };

/**
 * Read-only views of the optional parts of a model card. A manifest written by another tool may
 * lack any of them or shape them differently: every reader returns what it can and never throws.
 */

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const asNumber = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export interface ClassMetrics {
  label: string;
  precision?: number;
  recall?: number;
  f1?: number;
}

export interface VariantMetrics {
  /** fp32, int8, baseline, or whatever the card names. */
  variant: string;
  accuracy?: number;
  macroF1?: number;
  perClass: ClassMetrics[];
  confusionMatrix?: number[][];
}

/** The shipped model's variants come first in this order; others follow as found. */
const VARIANT_ORDER = ['int8', 'fp32', 'baseline'];

export function readMetrics(manifest: ModelManifest | undefined): VariantMetrics[] {
  return readVariants(manifest?.metrics);
}

/** An evaluation on text unlike the training data (short reviews, headlines, titles), as the card records it. */
export interface OutOfDomainSet {
  id: string;
  title: string;
  description?: string;
  /** The model's variants first (int8), then the baseline on the same rows. */
  variants: VariantMetrics[];
}

export function readOutOfDomain(manifest: ModelManifest | undefined): OutOfDomainSet[] {
  const sets = manifest?.outOfDomain;
  if (!isRecord(sets)) return [];
  return Object.entries(sets)
    .filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1]))
    .map(([id, set]) => ({
      id,
      title: typeof set.title === 'string' ? set.title : id,
      description: typeof set.description === 'string' ? set.description : undefined,
      variants: readVariants(set),
    }))
    .filter((set) => set.variants.length > 0);
}

/** A quality target the model is held to, and whether it meets it (the card's `targets`). */
export interface QualityTarget {
  /** In words: "at least 83.0% on Amazon review sentences". */
  target: string;
  met: boolean;
  /** The int8 model's accuracy on those rows. */
  reached?: number;
}

export interface QualityTargets {
  items: QualityTarget[];
  /** What was tried towards the targets, when one is missed. */
  tried?: string;
}

export function readTargets(manifest: ModelManifest | undefined): QualityTargets | undefined {
  const section = manifest?.targets;
  if (!isRecord(section) || !Array.isArray(section.items)) return undefined;
  const items = section.items
    .filter((item): item is Record<string, unknown> => isRecord(item) && typeof item.target === 'string' && typeof item.met === 'boolean')
    .map((item) => ({ target: item.target as string, met: item.met as boolean, reached: asNumber(item.reached) }));
  if (items.length === 0) return undefined;
  return { items, ...(typeof section.tried === 'string' ? { tried: section.tried } : {}) };
}

function readVariants(metrics: unknown): VariantMetrics[] {
  if (!isRecord(metrics)) return [];
  const rank = (name: string) => {
    const index = VARIANT_ORDER.indexOf(name);
    return index === -1 ? VARIANT_ORDER.length : index;
  };
  return Object.entries(metrics)
    .filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1]))
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([variant, value]) => ({
      variant,
      accuracy: asNumber(value.accuracy),
      macroF1: asNumber(value.macroF1 ?? value.macro_f1),
      perClass: readPerClass(value.perClass ?? value.per_class),
      confusionMatrix: readMatrix(value.confusionMatrix ?? value.confusion_matrix),
    }));
}

function readPerClass(value: unknown): ClassMetrics[] {
  if (!isRecord(value)) return [];
  return Object.entries(value)
    .filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1]))
    .map(([label, m]) => ({ label, precision: asNumber(m.precision), recall: asNumber(m.recall), f1: asNumber(m.f1) }));
}

function readMatrix(value: unknown): number[][] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const rows = value.map((row) => (Array.isArray(row) && row.every((cell) => asNumber(cell) !== undefined) ? (row as number[]) : undefined));
  if (rows.some((row) => row === undefined || row.length !== value.length)) return undefined;
  return rows as number[][];
}

/** The int8 model both engines read (transformers.js calls this dtype "q8"). */
export const QUANTIZED_MODEL_FILE = 'onnx/model_quantized.onnx';

/** The files of a model folder that both engines download, each checked against the card when it lists them. */
export const ENGINE_FILES = Object.freeze(['config.json', 'tokenizer.json', 'tokenizer_config.json', QUANTIZED_MODEL_FILE] as const);
export type EngineFile = (typeof ENGINE_FILES)[number];

/**
 * The files a model card lists, each inside the model folder and no larger than MODEL_LIMITS
 * allows. Other entries are dropped: a card is other people's data, and a path such as
 * "//elsewhere.example/beacon.bin" or "../../index.html" would otherwise be fetched (with this
 * page's Origin) and kept in the model cache when the model is saved for offline use.
 */
export function readFiles(manifest: ModelManifest | undefined): ModelFile[] {
  const files = manifest?.files;
  if (!Array.isArray(files)) return [];
  return files.flatMap((file) => {
    if (!isRecord(file) || typeof file.path !== 'string' || !isPathInsideFolder(file.path)) return [];
    const bytes = asNumber(file.bytes);
    if (bytes === undefined || !Number.isInteger(bytes) || bytes < 0 || bytes > MODEL_LIMITS.modelBytes) return [];
    return [{ path: file.path, bytes, sha256: typeof file.sha256 === 'string' ? file.sha256 : undefined }];
  });
}

/**
 * A relative path of names ("onnx/model_quantized.onnx"). Each name is percent-encoded when the URL
 * is built, so a colon, "?" or "#" stays part of a name; what could leave the folder is an empty
 * name (a leading "//" is another host, a leading "/" the site's root), "." and "..". Backslashes
 * and control characters are refused too: no model folder needs them.
 */
export function isPathInsideFolder(path: string): boolean {
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..' && !/[\u0000-\u001f\u007f\\]/.test(segment));
}

export interface Example {
  text: string;
  label?: string;
}

export function readExamples(manifest: ModelManifest | undefined): Example[] {
  const examples = manifest?.examples;
  if (!Array.isArray(examples)) return [];
  return examples.flatMap((example) => {
    if (typeof example === 'string') return [{ text: example }];
    if (!isRecord(example) || typeof example.text !== 'string' || !example.text.trim()) return [];
    return [{ text: example.text, label: typeof example.label === 'string' ? example.label : undefined }];
  });
}

export function readMaxTokens(manifest: ModelManifest | undefined): number | undefined {
  const value = asNumber(manifest?.maxTokens);
  return value !== undefined && Number.isInteger(value) && value > 2 ? value : undefined;
}

export interface Fact {
  key: string;
  value: string;
}

/**
 * Flattens a free-form card section (data, split, pretraining) into key/value lines, its
 * `description` first. Nested objects become "a.b" keys; long lists are summarised.
 */
export function readFacts(section: unknown): Fact[] {
  if (section === undefined || section === null) return [];
  if (!isRecord(section)) return [{ key: '', value: formatValue(section) }];
  const facts: Fact[] = [];
  const walk = (value: Record<string, unknown>, prefix: string) => {
    for (const [key, inner] of Object.entries(value)) {
      const name = prefix ? `${prefix}.${key}` : key;
      if (isRecord(inner)) walk(inner, name);
      else facts.push({ key: name, value: formatValue(inner) });
    }
  };
  walk(section, '');
  return facts.sort((a, b) => Number(b.key === 'description') - Number(a.key === 'description'));
}

function formatValue(value: unknown): string {
  // Lists of records (training history, say) are detail for the manifest file, not the card.
  if (Array.isArray(value) && value.some(isRecord)) return `${value.length} entries`;
  if (Array.isArray(value)) {
    const shown = value.slice(0, 12).map(formatValue).join(', ');
    return value.length > 12 ? `${shown}, … (${value.length} in all)` : shown;
  }
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('en') : String(Number(value.toPrecision(4)));
  if (isRecord(value)) return JSON.stringify(value);
  return String(value);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatPercent(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}
