import { expectType } from "../../test/support/expect-type.js";
import { WebsocketConsumer } from "../consumers/websocket-consumer.js";
import type { Application, HttpScope, WebsocketScope } from "../types/asgi.js";
import { HttpCommunicator } from "./http-communicator.js";
import { WebsocketCommunicator } from "./websocket-communicator.js";

type UserScope = WebsocketScope & { user: { username: string } };
class Greeter extends WebsocketConsumer<UserScope> {}
declare const plain: Application<WebsocketScope>;
declare const httpNeedsSession: Application<HttpScope & { session: { key: string } }>;

// Scope extras the consumer needs are required, with their types.
const greeterApp = Greeter.asApp();
const greeter = new WebsocketCommunicator(greeterApp, "/", { user: { username: "ada" } });
expectType<WebsocketCommunicator<UserScope>>(greeter);
// @ts-expect-error -- the consumer needs `user`
new WebsocketCommunicator(greeterApp, "/");
// @ts-expect-error -- the consumer needs `user`
new WebsocketCommunicator(greeterApp, "/", { headers: {} });
// @ts-expect-error -- `user` has the wrong type
new WebsocketCommunicator(greeterApp, "/", { user: 3 });
// With asApp() written inline, name the scope type (see OptionalWhenEmpty).
new WebsocketCommunicator<UserScope>(Greeter.asApp(), "/", { user: { username: "ada" } });

// Without extras, options may be left out.
new WebsocketCommunicator(plain, "/");
new WebsocketCommunicator(plain, "/", { subprotocols: ["chat"], headers: [["origin", "x"]] });

// The same rule for HTTP.
new HttpCommunicator(httpNeedsSession, "GET", "/", "", {}, { session: { key: "k" } });
// @ts-expect-error -- the application needs `session`
new HttpCommunicator(httpNeedsSession, "GET", "/");
