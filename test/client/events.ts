import type { SocketEvents, SwitchboardSocket } from "../../src/client/index.js";

/** The next `type` event of `socket`. */
export function nextEvent<In, K extends keyof SocketEvents<In>>(
  socket: SwitchboardSocket<In, unknown>,
  type: K,
): Promise<SocketEvents<In>[K]> {
  return new Promise((resolve) => {
    const stop = socket.on(type, (value) => {
      stop();
      resolve(value);
    });
  });
}

/** Every event of `socket`, by name, in order, for assertions on what happened (and what not). */
export function recordEvents<In>(socket: SwitchboardSocket<In, unknown>): string[] {
  const seen: string[] = [];
  for (const type of ["open", "message", "close", "refused", "reconnecting", "error"] as const) {
    socket.on(type, () => seen.push(type));
  }
  return seen;
}
