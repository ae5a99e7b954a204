export { channelNameRouter } from "./channel-name-router.js";
export { path } from "./path.js";
export type { PathOptions } from "./path.js";
export { protocolTypeRouter } from "./protocol-type-router.js";
export type { ProtocolTypeRoutes } from "./protocol-type-router.js";
export { rePath } from "./re-path.js";
export type { RoutableScope, Route, RouteMatch, RouteOptions, RoutePattern } from "./route.js";
export { urlRouter } from "./url-router.js";
export type { UrlRouterOptions } from "./url-router.js";
