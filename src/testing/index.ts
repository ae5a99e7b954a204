/**
 * `switchboard/testing`: drive applications in process, with no socket.
 * @module
 */
export { ApplicationCommunicator } from "./application-communicator.js";
export { HttpCommunicator } from "./http-communicator.js";
export type { HttpScopeExtras, HttpTestResponse } from "./http-communicator.js";
export type { HeadersInit } from "./request-target.js";
export type { OptionalWhenEmpty } from "./scope-extras.js";
export { WebsocketCommunicator } from "./websocket-communicator.js";
export type { ConnectResult, WebsocketCommunicatorOptions } from "./websocket-communicator.js";
