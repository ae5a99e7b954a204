export type { ChannelLayer } from "./channel-layer.js";
export { resolveChannelLayerOptions } from "./channel-layer-options.js";
export type { ChannelLayerOptions, ResolvedChannelLayerOptions } from "./channel-layer-options.js";
export { InMemoryChannelLayer } from "./in-memory-channel-layer.js";
export { getChannelLayer, setChannelLayer } from "./registry.js";
export {
  assertChannelName,
  assertGroupName,
  channelFull,
  decodeMessage,
  encodeMessage,
} from "./validation.js";
