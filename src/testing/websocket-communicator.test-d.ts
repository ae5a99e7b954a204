import { expectType } from "../../test/support/expect-type.js";
import { WebsocketConsumer } from "../consumers/websocket-consumer.js";
import type { Application, HttpScope, WebsocketScope } from "../types/asgi.js";
import { HttpCommunicator } from "./http-communicator.js";
import { WebsocketCommunicator } from "./websocket-communicator.js";

type UserScope = WebsocketScope & { user: { username: string } };
class Greeter extends WebsocketConsumer<UserScope> {}
declare const plain: Application<WebsocketScope>;
declare const httpNeedsSession: Application<HttpScope & { session: { key: string } }>;

// Scope extras the consumer needs are required, with their types, even with asApp() inline.
const greeter = new WebsocketCommunicator(Greeter.asApp(), "/", {
  scope: { user: { username: "ada" } },
});
expectType<WebsocketCommunicator<UserScope>>(greeter);
// @ts-expect-error -- the consumer needs `user`
new WebsocketCommunicator(Greeter.asApp(), "/");
// @ts-expect-error -- the consumer needs `user`
new WebsocketCommunicator(Greeter.asApp(), "/", { headers: {} });
// @ts-expect-error -- `user` has the wrong type
new WebsocketCommunicator(Greeter.asApp(), "/", { scope: { user: 3 } });

// Without extras, options may be left out.
new WebsocketCommunicator(plain, "/");
new WebsocketCommunicator(plain, "/", { subprotocols: ["chat"], headers: [["origin", "x"]] });

// The same rule for HTTP.
new HttpCommunicator(httpNeedsSession, "GET", "/", "", {}, { scope: { session: { key: "k" } } });
// @ts-expect-error -- the application needs `session`
new HttpCommunicator(httpNeedsSession, "GET", "/");
