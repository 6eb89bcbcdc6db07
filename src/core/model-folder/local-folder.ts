import { GlassboxError } from '../contract/errors';
import type { ModelSource } from '../contract/types';
import { isPathInsideFolder, QUANTIZED_MODEL_FILE } from './model-card';
import { MODEL_LIMITS } from './model-limits';

/** Where the classifier worker answers for a folder opened from the device: under the site, never fetched. */
export const LOCAL_MODELS_PATH = 'local-models/';

/** The fp32 model a folder may hold instead of the int8 one; it is read in its place. */
export const FULL_PRECISION_MODEL_FILE = 'onnx/model.onnx';

/** The files a folder must hold, besides one of the two model files. */
const REQUIRED = ['config.json', 'tokenizer.json', 'tokenizer_config.json'] as const;

/** A file picked or dropped, by its path inside what was picked ("my-model/onnx/model.onnx"). */
export interface PickedFile {
  path: string;
  size: number;
}

export interface LocalFolderPlan {
  /** The folder's name, the model's id. */
  id: string;
  /** Each model folder path ("config.json", "onnx/model_quantized.onnx") and the picked path it is read from. */
  files: Map<string, string>;
  /** Said when the folder's model is read from another file than the int8 one. */
  note?: string;
}

/**
 * Makes sense of the files of a model folder picked or dropped from the device: the folder they
 * share is dropped from their paths (a folder picker gives "my-model/config.json"), the files the
 * engines read must all be there, no path may leave the folder, and no file may be larger than
 * glassbox loads. Says what is missing in words a person can act on.
 */
export function planLocalFolder(picked: readonly PickedFile[]): LocalFolderPlan {
  if (picked.length === 0) throw new GlassboxError('BAD_INPUT', 'No files were given: pick or drop a model folder, its files, or one .zip of them.');
  const paths = picked.map((file) => file.path.replace(/\\/g, '/').replace(/^\/+/, ''));
  const outside = paths.find((path) => !isPathInsideFolder(path));
  if (outside !== undefined) throw new GlassboxError('BAD_INPUT', `"${outside}" is not a path inside a model folder; it was refused.`);
  const top = commonFolder(paths);
  const tooLarge = picked.find((file) => file.size > MODEL_LIMITS.modelBytes);
  if (tooLarge) {
    throw new GlassboxError('BAD_INPUT', `${tooLarge.path} is ${(tooLarge.size / 1024 ** 3).toFixed(1)} GiB, more than glassbox loads (${MODEL_LIMITS.modelBytes / 1024 ** 3} GiB).`);
  }
  const byPath = new Map(paths.map((path, i) => [path.slice(top.length), picked[i].path]));
  const model = byPath.has(QUANTIZED_MODEL_FILE) ? QUANTIZED_MODEL_FILE : byPath.has(FULL_PRECISION_MODEL_FILE) ? FULL_PRECISION_MODEL_FILE : undefined;
  const missing = [...REQUIRED.filter((path) => !byPath.has(path)), ...(model ? [] : [`${QUANTIZED_MODEL_FILE} (or ${FULL_PRECISION_MODEL_FILE})`])];
  if (missing.length > 0) {
    const what = byPath.size === 0 ? 'nothing' : [...byPath.keys()].slice(0, 6).join(', ');
    throw new GlassboxError('MODEL_NOT_FOUND', `This is not a text-classification model folder: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing (it holds ${what}).`);
  }
  const files = new Map<string, string>();
  for (const path of [...REQUIRED, 'manifest.json']) if (byPath.has(path)) files.set(path, byPath.get(path)!);
  files.set(QUANTIZED_MODEL_FILE, byPath.get(model!)!);
  const id = top.replace(/\/$/, '').split('/').pop() || 'local-model';
  return { id, files, ...(model === FULL_PRECISION_MODEL_FILE ? { note: `${FULL_PRECISION_MODEL_FILE} is read in place of ${QUANTIZED_MODEL_FILE} (full precision: larger and slower).` } : {}) };
}

/** The folder all paths share ("my-model/"), or "" when they sit at the top. */
function commonFolder(paths: readonly string[]): string {
  const firstSegments = new Set(paths.map((path) => (path.includes('/') ? path.slice(0, path.indexOf('/') + 1) : '')));
  if (firstSegments.size !== 1) return '';
  const [only] = firstSegments;
  // Only a folder around the model files is dropped, not the model's own onnx/ folder.
  return only === 'onnx/' ? '' : only;
}

/** Whether a model folder URL is one opened from the device (which the service worker cannot keep). */
export function isLocalModelUrl(url: string): boolean {
  return new URL(url, 'http://localhost/').pathname.startsWith(`/${LOCAL_MODELS_PATH}`);
}

/** The source the worker loads a local folder from: its files are answered from memory under this URL. */
export function localModelSource(origin: string, plan: Pick<LocalFolderPlan, 'id'>, serial: number): ModelSource {
  return { id: plan.id, url: `${origin}/${LOCAL_MODELS_PATH}${serial}/${encodeURIComponent(plan.id)}/` };
}
