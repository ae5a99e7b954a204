import { readFile } from "node:fs/promises";
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

/**
 * The browser build of `switchboard/client`: `dist/client/` of the installed package, which the
 * `switchboard/client/*.js` export names (compiled JavaScript, whatever the import conditions).
 */
const CLIENT_DIR = new URL(".", import.meta.resolve("switchboard/client/index.js"));
const CLIENT_FILE = /^[a-z-]+\.js$/;
const clientFiles = new Map<string, StaticFile>();

/** The route of the demo's files, with its `name` kwarg. */
export const STATIC_ROUTE = "static/<str:name>";
/** The route of the client's modules: pages import `/static/switchboard-client/index.js`. */
export const CLIENT_ROUTE = "static/switchboard-client/<str:name>";

type FileScope = RoutedScope<HttpScope, PathKwargs<typeof STATIC_ROUTE>>;

/** `GET` a file by its `name` kwarg, or 404. */
abstract class FileConsumer extends HttpConsumer<FileScope> {
  protected abstract file(name: string): Promise<StaticFile | undefined>;

  override async handle(): Promise<void> {
    const file = await this.file(this.scope.urlRoute.kwargs.name);
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

/** `GET /static/<name>`: the pages' stylesheet and scripts. */
export class StaticConsumer extends FileConsumer {
  protected override async file(name: string): Promise<StaticFile | undefined> {
    return FILES.get(name);
  }
}

/**
 * `GET /static/switchboard-client/<name>`: the modules of `switchboard/client`, read on first
 * use (a missing file is not remembered: `npm run build` makes them).
 */
export class ClientFilesConsumer extends FileConsumer {
  protected override async file(name: string): Promise<StaticFile | undefined> {
    if (!CLIENT_FILE.test(name)) return undefined;
    let file = clientFiles.get(name);
    if (file === undefined) {
      const body = await readFile(new URL(name, CLIENT_DIR)).catch(() => null);
      if (body === null) return undefined;
      clientFiles.set(name, (file = { type: JAVASCRIPT, body }));
    }
    return file;
  }
}
