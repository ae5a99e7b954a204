import { expectType } from "../../test/support/expect-type.js";
import { path } from "../routing/path.js";
import { protocolTypeRouter } from "../routing/protocol-type-router.js";
import { urlRouter } from "../routing/url-router.js";
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
