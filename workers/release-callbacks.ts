import { releaseProxy } from 'comlink';

/**
 * The service as the worker exposes it: each method call, once it settles, releases the callbacks
 * it was given (progress listeners, row listeners). Each arrives as a Comlink proxy that holds a
 * message port on both sides until it is released; a long session would otherwise keep one per
 * load, explanation and batch.
 */
export function releasingCallbacks<T extends object>(service: T): T {
  return new Proxy(service, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => unknown).apply(target, args);
        } finally {
          for (const arg of args) if (typeof arg === 'function') (arg as { [releaseProxy]?: () => void })[releaseProxy]?.();
        }
      };
    },
  });
}
