import { expectType } from "../../test/support/expect-type.js";
import { path } from "../routing/path.js";
import type { PathKwargs, RoutedScope } from "../routing/route-kwargs.js";
import { protocolTypeRouter } from "../routing/protocol-type-router.js";
import { urlRouter } from "../routing/url-router.js";
import { WebsocketCommunicator } from "../testing/websocket-communicator.js";
import type { Application, HttpScope, WebsocketScope } from "../types/asgi.js";
import { HttpConsumer } from "./http-consumer.js";
import { JsonWebsocketConsumer } from "./json-websocket-consumer.js";
import { WebsocketConsumer } from "./websocket-consumer.js";

interface User {
  username: string;
}
type UserScope = WebsocketScope & { user: User };

class Plain extends WebsocketConsumer {}
class Chat extends JsonWebsocketConsumer<UserScope> {
  override connect() {
    // The scope type parameter types the scope.
    expectType<User>(this.scope.user);
    return this.accept();
  }
}
class Page extends HttpConsumer {
  override handle(body: Buffer) {
    return this.sendResponse(200, body);
  }
}

// asApp() keeps the scope type the consumer declares.
expectType<Application<WebsocketScope>>(Plain.asApp());
expectType<Application<UserScope>>(Chat.asApp());
expectType<Application<HttpScope>>(Page.asApp());
// @ts-expect-error -- Chat needs `user`, so it is no plain WebSocket application
expectType<Application<WebsocketScope>>(Chat.asApp());

// A consumer needing `user` routes only under middleware that provides it.
declare const addUser: (inner: Application<UserScope>) => Application<WebsocketScope>;
protocolTypeRouter({ websocket: addUser(urlRouter([path("chat/", Chat.asApp())])) });
// @ts-expect-error -- nothing provides `user`
protocolTypeRouter({ websocket: urlRouter([path("chat/", Chat.asApp())]) });

// An abstract HttpConsumer (no handle()) is no application.
// @ts-expect-error -- HttpConsumer is abstract: subclass it and implement handle()
HttpConsumer.asApp();

// @ts-expect-error -- a WebSocket consumer is generic over WebSocket scopes only
export class Wrong extends WebsocketConsumer<HttpScope> {}

// Typed route kwargs reach the consumer, and its route must capture them.
type RoomScope = RoutedScope<WebsocketScope, PathKwargs<"rooms/<str:room>/<int:id>/">>;
class Room extends WebsocketConsumer<RoomScope> {
  override connect() {
    expectType<string>(this.scope.urlRoute.kwargs.room);
    expectType<number>(this.scope.urlRoute.kwargs.id);
    return this.accept();
  }
}
protocolTypeRouter({ websocket: urlRouter([path("rooms/<str:room>/<int:id>/", Room.asApp())]) });
// @ts-expect-error -- this route captures no `id`
protocolTypeRouter({ websocket: urlRouter([path("rooms/<str:room>/", Room.asApp())]) });
// A communicator driving the consumer directly must supply what the router would.
const roomApp = Room.asApp();
new WebsocketCommunicator(roomApp, "/", { urlRoute: { args: [], kwargs: { room: "a", id: 1 } } });
// @ts-expect-error -- without a router, the test provides urlRoute
new WebsocketCommunicator(roomApp, "/");

// asApp({ init }) sets fields the class declares, typed; the scope type is still inferred.
class Greeter extends WebsocketConsumer {
  audience!: string;
  greeting = "hello";
}
expectType<Application<WebsocketScope>>(Greeter.asApp({ init: { audience: "world" } }));
// @ts-expect-error -- a misspelt field
Greeter.asApp({ init: { audiense: "world" } });
// @ts-expect-error -- a field of the wrong type
Greeter.asApp({ init: { audience: 42 } });
// @ts-expect-error -- the base consumer's fields are not init options
Greeter.asApp({ init: { channelName: "x" } });
expectType<Application<UserScope>>(Chat.asApp({ init: {} }));
