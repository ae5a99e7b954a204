import { expectType } from "../../test/support/expect-type.js";
import type { Application, ChannelScope, HttpScope, WebsocketScope } from "../types/asgi.js";
import { path } from "./path.js";
import { protocolTypeRouter } from "./protocol-type-router.js";
import { rePath } from "./re-path.js";
import type { PathKwargs, RoutedScope } from "./route-kwargs.js";
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

// ---- Typed kwargs ----

expectType<{ room: string; id: number }>(
  {} as PathKwargs<"rooms/<str:room>/<int:id>/"> as { room: string; id: number },
);
expectType<PathKwargs<"a/<slug:s>/<uuid:u>/<path:p>/<plain>/">>({ s: "", u: "", p: "", plain: "" });
// @ts-expect-error -- an int capture is a number
expectType<PathKwargs<"<int:id>/">>({ id: "7" });

type RoomScope = RoutedScope<WebsocketScope, { room: string }>;
type PageScope = RoutedScope<WebsocketScope, { room: string; page: number }>;
declare const roomApp: Application<RoomScope>;
declare const pageApp: Application<PageScope>;

// A route that captures what the application reads makes an ordinary WebSocket router.
expectType<Application<WebsocketScope>>(urlRouter([path("rooms/<str:room>/", roomApp)]));
protocolTypeRouter({ websocket: urlRouter([path("rooms/<room>/", roomApp), path("a/", plain)]) });

// @ts-expect-error -- the route captures `room` as a number, the application expects a string
path("rooms/<int:room>/", roomApp);

// A route that captures nothing leaves the requirement to an outer router...
const inner = urlRouter([path("pages/<int:page>/", pageApp)]);
// @ts-expect-error -- ...so on its own, nothing captures `room`
protocolTypeRouter({ websocket: inner });
protocolTypeRouter({ websocket: urlRouter([path("rooms/<str:room>/", inner)]) });
// @ts-expect-error -- an outer route that captures something else does not help
protocolTypeRouter({ websocket: urlRouter([path("rooms/<str:other>/", inner)]) });

// rePath cannot be checked: the application's kwargs are trusted to come from named groups.
protocolTypeRouter({ websocket: urlRouter([rePath(/^rooms\/(?<room>\w+)\/$/, roomApp)]) });

// Typed kwargs survive middleware that adds fields.
type UserRoomScope = RoutedScope<UserScope, { room: string }>;
declare const userRoomApp: Application<UserRoomScope>;
protocolTypeRouter({ websocket: addUser(urlRouter([path("rooms/<str:room>/", userRoomApp)])) });
// @ts-expect-error -- still needs `user`
protocolTypeRouter({ websocket: urlRouter([path("rooms/<str:room>/", userRoomApp)]) });
