import {
  sameOriginValidator,
  type Application,
  type OriginValidatorOptions,
  type WebsocketScope,
} from "../../src/index.js";

/**
 * `sameOriginValidator` for browsers, while clients that send no `Origin` pass. Browsers always
 * send `Origin` on a WebSocket handshake, and cross-site socket hijacking needs a browser carrying
 * the victim's cookie, so only a present, foreign `Origin` is a threat; a load generator or CLI
 * client without one proves who it is with its session cookie, as over HTTP.
 */
export function browserOriginValidator<S extends WebsocketScope>(
  inner: Application<S>,
  options: OriginValidatorOptions = {},
): Application<S> {
  const checked = sameOriginValidator(inner, options);
  return async function browserOrigin(scope, receive, send) {
    const fromBrowser = scope.headers.some(([name]) => name === "origin");
    return (fromBrowser ? checked : inner)(scope, receive, send);
  };
}
