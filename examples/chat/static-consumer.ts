import { readFileSync } from "node:fs";
import { HttpConsumer, type HttpScope, type PathKwargs, type RoutedScope } from "switchboard";

interface StaticFile {
  type: string;
  body: Buffer;
}

const JAVASCRIPT = "text/javascript; charset=utf-8";

const TYPES: Record<string, string> = {
  "chat.css": "text/css; charset=utf-8",
  "chat.js": JAVASCRIPT,
  "socket-login.js": JAVASCRIPT,
};

// Read once at start-up: the demo has three small files and no build step.
const FILES = new Map<string, StaticFile>(
  Object.entries(TYPES).map(([name, type]) => [
    name,
    { type, body: readFileSync(new URL(`./static/${name}`, import.meta.url)) },
  ]),
);

/** The route of the demo's files, with its `name` kwarg. */
export const STATIC_ROUTE = "static/<str:name>";

/**
 * `GET /static/<name>`: the pages' stylesheet and scripts, or 404. (`switchboard/client`, which
 * the scripts import, is the framework's `clientFilesApp`.)
 */
export class StaticConsumer extends HttpConsumer<
  RoutedScope<HttpScope, PathKwargs<typeof STATIC_ROUTE>>
> {
  override async handle(): Promise<void> {
    const file = FILES.get(this.scope.urlRoute.kwargs.name);
    if (file === undefined) {
      await this.sendResponse(404, "Not Found\n", [["content-type", "text/plain; charset=utf-8"]]);
      return;
    }
    await this.sendResponse(200, file.body, [
      ["content-type", file.type],
      ["x-content-type-options", "nosniff"],
      ["cache-control", "no-cache"],
    ]);
  }
}
