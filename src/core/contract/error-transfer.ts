import { transferHandlers, type TransferHandler } from 'comlink';
import { GLASSBOX_ERROR_NAME, GlassboxError, isErrorCode } from './errors';

/** What Comlink's own "throw" handler puts on the wire. */
interface ThrownOnWire {
  isError: boolean;
  value: { message?: string; name?: string; stack?: string; code?: unknown } | unknown;
}

let installed = false;

/**
 * Makes errors cross Comlink whole. Comlink's own handler sends an Error's name, message and stack
 * only; this one adds a GlassboxError's code on the way out and rebuilds the GlassboxError on the
 * way in, so the code never rides in the message. Both sides call it once (the client and the
 * worker); other thrown values go through Comlink's handler unchanged.
 */
export function useGlassboxErrorTransfer(): void {
  if (installed) return;
  installed = true;
  const comlinkThrow = transferHandlers.get('throw') as TransferHandler<{ value: unknown }, ThrownOnWire>;
  transferHandlers.set('throw', {
    canHandle: comlinkThrow.canHandle,
    serialize(thrown: { value: unknown }) {
      const [wire, transfer] = comlinkThrow.serialize(thrown);
      const { value } = thrown;
      if (value instanceof GlassboxError && wire.isError) return [{ ...wire, value: { ...(wire.value as object), code: value.code } }, transfer];
      return [wire, transfer];
    },
    deserialize(wire: ThrownOnWire) {
      const value = wire.value as { message?: string; name?: string; code?: unknown };
      if (wire.isError && value.name === GLASSBOX_ERROR_NAME && isErrorCode(value.code)) throw new GlassboxError(value.code, value.message ?? '');
      return comlinkThrow.deserialize(wire);
    },
  } as TransferHandler<unknown, ThrownOnWire>);
}
