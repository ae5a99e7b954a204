import type { ChannelLayer } from "../../src/layers/channel-layer.js";

/** Resolves to whatever `receive` yields, or `"nothing"` when nothing came within `ms`. */
export async function receiveOrNothing(layer: ChannelLayer, channel: string, ms = 100) {
  // Not AbortSignal.timeout: its timer does not keep the event loop, hence the test, alive.
  const controller = new AbortController();
  const nothing = new Error("nothing");
  const timer = setTimeout(() => controller.abort(nothing), ms);
  try {
    return await layer.receive(channel, controller.signal);
  } catch (error) {
    if (error === nothing) return "nothing";
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
