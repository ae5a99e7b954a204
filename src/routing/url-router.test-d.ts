import { expectType } from "../../test/support/expect-type.js";
import type { Application, ChannelScope, HttpScope, WebsocketScope } from "../types/asgi.js";
import { path } from "./path.js";
import { protocolTypeRouter } from "./protocol-type-router.js";
import { rePath } from "./re-path.js";
import { urlRouter } from "./url-router.js";

interface User {
  username: string;
}
type UserScope = WebsocketScope & { user: User };

declare const plain: Application<WebsocketScope>;
declare const needsUser: Application<UserScope>;
declare const httpApp: Application<HttpScope>;
declare const channelApp: Application<ChannelScope>;
declare const addUser: (inner: Application<UserScope>) => Application<WebsocketScope>;

// A router keeps the scope type its routes need.
expectType<Application<WebsocketScope>>(urlRouter([path("a/", plain), rePath(/^b\/$/, plain)]));
expectType<Application<UserScope>>(urlRouter([path("a/", needsUser)]));

// One route needing `user` makes the whole router need it.
const mixed = urlRouter([path("a/", plain), path("b/", needsUser)]);
expectType<Application<UserScope>>(mixed);
// @ts-expect-error -- the router needs `user`, which a bare WebSocket scope lacks
expectType<Application<WebsocketScope>>(mixed);

// So it only fits protocolTypeRouter under middleware that provides `user`.
protocolTypeRouter({ websocket: addUser(mixed), http: httpApp });
// @ts-expect-error -- no middleware provides `user`
protocolTypeRouter({ websocket: mixed });

// Nested routers compose with the same rule.
expectType<Application<UserScope>>(urlRouter([path("outer/", urlRouter([path("x/", needsUser)]))]));

// A channel-scope application has no path to route by.
// @ts-expect-error -- urlRouter routes only HTTP and WebSocket scopes
urlRouter([path("a/", channelApp)]);

// An HTTP app is no WebSocket app.
// @ts-expect-error -- the websocket entry needs a WebSocket application
protocolTypeRouter({ websocket: urlRouter([path("a/", httpApp)]) });
