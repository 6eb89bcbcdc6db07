import * as Comlink from 'comlink';
import { createEngine, resolveEngineChoice } from '../src/engines/create-engine';
import { detectWebGpu } from '../src/engines/backends';
import { useGlassboxErrorTransfer } from '../src/core/contract/error-transfer';
import { ClassifierService } from './classifier-service';
import { LocalModels } from './local-models';
import { inspectModelFolder } from './model-folder';
import { releasingCallbacks } from './release-callbacks';
import { allowSameOriginWorkerScripts } from '../src/trusted-script-url';

allowSameOriginWorkerScripts();
useGlassboxErrorTransfer();

// Folders opened from the device are answered from memory to every fetch of this worker (both
// engines' and the folder check's), before anything can reach the network.
const localModels = new LocalModels(self.location.origin);
globalThis.fetch = localModels.fetchWith(globalThis.fetch.bind(globalThis));

/**
 * The classifier worker: owns the model and all its compute. Exposed synchronously at start-up
 * so that the page's first call is never lost; the ML runtime itself loads on the first load().
 */
const service = new ClassifierService({
  createEngine,
  resolveEngine: resolveEngineChoice,
  inspectFolder: (source) => inspectModelFolder(source),
  detectWebGpu: () => detectWebGpu(),
  now: () => performance.now(),
  origin: self.location.origin,
  localModels,
});

Comlink.expose(releasingCallbacks(service));
