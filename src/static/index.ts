/**
 * Files the framework serves itself: the browser build of `switchboard/client`.
 * @module
 */
export { clientFilesApp } from "./client-files-app.js";
export type { ClientFilesAppOptions } from "./client-files-app.js";
