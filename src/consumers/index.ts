export { Consumer } from "./consumer.js";
export type { ConsumerClass, ConsumerInit, ConsumerOptions } from "./consumer.js";
export type { HandlerName, MessageHandlers } from "./handler-name.js";
export { HttpConsumer } from "./http-consumer.js";
export { JsonWebsocketConsumer } from "./json-websocket-consumer.js";
export { WebsocketConsumer } from "./websocket-consumer.js";
export type { WebsocketBroadcast, WebsocketFrame } from "./websocket-consumer.js";
