/**
 * `switchboard/testing`: drive applications in process, with no socket.
 * @module
 */
export { ApplicationCommunicator } from "./application-communicator.js";
export { HttpCommunicator } from "./http-communicator.js";
export type { HttpCommunicatorOptions, HttpTestResponse } from "./http-communicator.js";
export type { HeadersInit } from "./request-target.js";
export type { OptionsArg } from "./scope-extras.js";
export { WebsocketCommunicator } from "./websocket-communicator.js";
export type { ConnectResult, WebsocketCommunicatorOptions } from "./websocket-communicator.js";
