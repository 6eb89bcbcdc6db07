import { GlassboxError, messageOf } from '../core/contract/errors';
import { QUANTIZED_MODEL_FILE } from '../core/model-folder/model-card';
import type { GuardedFetch } from './guarded-fetch';
import { bodyFailureError } from './stall-guard';
import { LOAD_CANCELLED } from './load-timeline';

export type LoadStage = 'tokenizer' | 'model' | 'warmup';

const STAGE_FILES: Record<LoadStage, string> = {
  tokenizer: 'tokenizer.json / tokenizer_config.json',
  model: `config.json / ${QUANTIZED_MODEL_FILE}`,
  warmup: QUANTIZED_MODEL_FILE,
};

/**
 * Turns what transformers.js or ONNX Runtime threw into a GlassboxError that names the file and
 * the cause. `fetches` knows what really happened on the network (transformers.js reports every
 * failed fetch as a missing file).
 */
export function toEngineError(error: unknown, stage: LoadStage, folder: string, fetches: GuardedFetch | undefined): GlassboxError {
  if (error instanceof GlassboxError) return error;
  const message = messageOf(error);
  const name = error instanceof Error ? error.name : '';

  const failed = fetches?.failureUnder(folder);
  if (failed?.failure.kind === 'aborted' || name === 'AbortError') {
    return new GlassboxError('CANCELLED', LOAD_CANCELLED, { cause: error });
  }
  if (failed && (name === 'ModelFileNotFoundError' || message.includes(failed.url))) {
    const { url, failure } = failed;
    if (failure.kind === 'mismatch' || failure.kind === 'interrupted') {
      return bodyFailureError(url, { mismatch: failure.kind === 'mismatch', detail: failure.detail }, error);
    }
    const detail = {
      network: `Could not download ${url} (${failure.detail}): the server did not answer.`,
      status: `The server answered ${failure.detail} for ${url}.`,
      aborted: LOAD_CANCELLED,
    }[failure.kind];
    return new GlassboxError('MODEL_FETCH_FAILED', detail, { cause: error });
  }
  if (name === 'ModelFileNotFoundError') {
    const path = /"([^"]+)"/.exec(message)?.[1];
    return new GlassboxError(
      'MODEL_NOT_FOUND',
      `${path ?? `A file of ${folder}`} is missing (HTTP 404). The folder needs ${STAGE_FILES[stage]}.`,
      { cause: error },
    );
  }
  // transformers.js probes tokenizer_config.json first and, when it is missing, fails later reading it.
  if (stage === 'tokenizer' && /tokenizer_class/.test(message)) {
    return new GlassboxError('MODEL_NOT_FOUND', `${folder}tokenizer_config.json is missing or unreadable; the folder needs tokenizer.json and tokenizer_config.json.`, {
      cause: error,
    });
  }
  if (error instanceof SyntaxError) {
    return new GlassboxError('MODEL_INVALID', `${folder} has a file that is not valid JSON (${STAGE_FILES[stage]}): ${message}`, { cause: error });
  }
  if (/device (was )?lost|GPUDevice.*lost/i.test(message)) {
    return new GlassboxError('DEVICE_LOST', `The WebGPU device was lost while running the model: ${message}`, { cause: error });
  }
  if (stage === 'model' || stage === 'warmup') {
    return new GlassboxError(
      'MODEL_INVALID',
      `ONNX Runtime could not ${stage === 'model' ? 'load' : 'run'} ${folder}${QUANTIZED_MODEL_FILE}: ${message}. The file may be truncated or corrupt, or use operators this runtime lacks.`,
      { cause: error },
    );
  }
  return new GlassboxError('MODEL_INVALID', `The tokenizer in ${folder} could not be read: ${message}`, { cause: error });
}
