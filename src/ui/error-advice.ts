import type { ErrorCode } from '../core/contract/errors';

/** What a person can try next, per error code; the error's own message says what went wrong. */
const ADVICE: Partial<Record<ErrorCode, string>> = {
  EMPTY_TEXT: 'Type or paste a sentence, or pick one of the examples.',
  BAD_INPUT: 'Correct the input and try again.',
  MODEL_NOT_FOUND:
    'Check the folder URL. A model folder holds config.json, tokenizer.json, tokenizer_config.json and onnx/model_quantized.onnx. The shipped models still work: pick one from the list.',
  MODEL_INVALID:
    'The folder has a broken or unsupported file: re-export or copy it again. The shipped models still work: pick one from the list.',
  MODEL_FETCH_FAILED:
    'The site could not be reached for this file. Check that the server is running and you are online, then load the model again.',
  MODEL_NOT_LOADED: 'Pick a model and wait until it is ready.',
  BACKEND_UNAVAILABLE: 'Choose "auto" or "WebAssembly" as the backend; they work in every browser.',
  DEVICE_LOST: 'The GPU was reset. Load the model again, or choose the WebAssembly backend.',
  WORKER_FAILED:
    'Reload the page. If it keeps failing, the browser may block module workers or the site files are incomplete; try another browser.',
  INTERNAL: 'Reload the page and try again.',
};

export function adviceFor(code: ErrorCode): string | undefined {
  return ADVICE[code];
}
