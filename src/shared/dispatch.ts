/**
 * Message dispatch through a typed handler map, for both sides of a webview (no `vscode` import: the webview bundle
 * uses it too). Every message type has its handler, or the map does not compile; a message of an unknown type, or
 * of a query run older than the newest seen, is ignored: both sides treat the other's messages as input.
 */

/** Every message type mapped to its handler. */
export type HandlerMap<M extends { type: string }> = { [K in M['type']]: (message: Extract<M, { type: K }>) => unknown };

/**
 * A function that hands each message to its type's handler and returns what the handler returned. A message with a
 * numeric `runId` below the newest one seen belongs to a replaced run and is dropped.
 */
export function makeDispatcher<M extends { type: string }>(handlers: HandlerMap<M>): (message: unknown) => unknown {
  let newestRun = -Infinity;
  return (message) => {
    if (!message || typeof message !== 'object') return undefined;
    const { type, runId } = message as { type?: unknown; runId?: unknown };
    // Own keys only: a message typed "toString" or "__proto__" must not reach Object.prototype.
    if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(handlers, type)) return undefined;
    if (typeof runId === 'number') {
      if (runId < newestRun) return undefined;
      newestRun = runId;
    }
    return (handlers as Record<string, (m: unknown) => unknown>)[type](message);
  };
}
