import type { ChannelLayer } from "./channel-layer.js";

/** Layers by alias, as Django's `CHANNEL_LAYERS` setting maps aliases to backends. */
const layers = new Map<string, ChannelLayer>();

/**
 * Installs `layer` under `alias` for the whole process; `null` removes it. The application module
 * calls this once at start-up, before the server or a worker serves anything: consumers look their
 * layer up through {@link getChannelLayer} when a connection opens.
 *
 * @example
 * ```ts
 * import { InMemoryChannelLayer, setChannelLayer } from "switchboard";
 *
 * setChannelLayer(new InMemoryChannelLayer());
 * ```
 */
export function setChannelLayer(layer: ChannelLayer | null, alias = "default"): void {
  if (layer === null) layers.delete(alias);
  else layers.set(alias, layer);
}

/**
 * The layer installed under `alias`, or `null` when none was: a consumer then has no channel name
 * and no groups, as in Channels without `CHANNEL_LAYERS`.
 *
 * @example
 * ```ts
 * const layer = getChannelLayer();
 * if (layer) await layer.groupSend("room.lobby", { type: "chat.message", text: "hi" });
 * ```
 */
export function getChannelLayer(alias = "default"): ChannelLayer | null {
  return layers.get(alias) ?? null;
}
