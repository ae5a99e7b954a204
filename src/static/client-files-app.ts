import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { markNestedRouter } from "../routing/route.js";
import { headerValue } from "../security/origin-validator.js";
import type { Application, Headers, HttpScope, Send } from "../types/asgi.js";

/** Options of {@link clientFilesApp}. */
export interface ClientFilesAppOptions {
  /** Where the warning about an unbuilt client goes; `console.warn` by default. */
  logger?: (line: string) => void;
}

interface ClientFile {
  body: Buffer;
  etag: string;
}

// Two levels up from src/static/ and from dist/static/ alike: the package's dist/client/, which
// `npm run build` writes with tsconfig.client.json.
const CLIENT_DIR = new URL("../../dist/client/", import.meta.url);

const TEXT: Headers = [
  ["content-type", "text/plain; charset=utf-8"],
  ["x-content-type-options", "nosniff"],
];

// The modules import each other by relative URL and their URLs carry no version: a browser that
// kept some of them after an upgrade would run a mix of two versions. So every load revalidates,
// and the ETag makes that a 304 without a body.
const CACHING: Headers = [["cache-control", "no-cache"]];

/**
 * An HTTP application serving the browser build of `switchboard/client` (the `.js` modules of the
 * package's `dist/client/`), so a page without a bundler imports it by URL. Mount it on a prefix:
 * the rest of the path names the module. `GET` and `HEAD` only (405 otherwise); any name that is
 * not one of the modules is 404. The files are read on the first request and kept in memory
 * (about 20 KB); each has a strong ETag and `cache-control: no-cache`. Needs no session: route it
 * outside `authMiddlewareStack`.
 *
 * @example
 * ```ts
 * const http = urlRouter([
 *   path("static/switchboard-client/", clientFilesApp()),
 *   path("", authMiddlewareStack(pages, auth), { nested: true }),
 * ]);
 * // in the page: import { connect } from "/static/switchboard-client/index.js";
 * ```
 */
export function clientFilesApp(options: ClientFilesAppOptions = {}): Application<HttpScope> {
  return serveClientFiles(CLIENT_DIR, options.logger ?? console.warn);
}

/** {@link clientFilesApp} on the `.js` files of `directory`: the tests' way to point it elsewhere. */
export function serveClientFiles(
  directory: URL,
  logger: (line: string) => void,
): Application<HttpScope> {
  let loaded: Promise<ReadonlyMap<string, ClientFile> | null> | null = null;
  let warned = false;

  /** The files, read once; `null` while the build is missing (read again on the next request). */
  async function files(): Promise<ReadonlyMap<string, ClientFile> | null> {
    loaded ??= readClientFiles(directory);
    const found = await loaded;
    if (found !== null) return found;
    loaded = null;
    if (!warned) {
      warned = true;
      logger(
        `switchboard/client is not built: ${fileURLToPath(directory)} has no .js files. Run \`npm run build\` in the Switchboard checkout; until then its modules answer 404.`,
      );
    }
    return null;
  }

  const app: Application<HttpScope> = async function clientFiles(scope, _receive, send) {
    const { method } = scope;
    if (method !== "GET" && method !== "HEAD") {
      return respond(send, 405, "Method Not Allowed: use GET.\n", [
        ...TEXT,
        ["allow", "GET, HEAD"],
      ]);
    }
    const found = await files();
    if (found === null) {
      return respond(
        send,
        404,
        "switchboard/client is not built: run `npm run build` in the Switchboard checkout.\n",
        TEXT,
      );
    }
    const file = found.get(fileName(scope));
    if (file === undefined) return respond(send, 404, "Not Found\n", TEXT);
    // Sent with a 304 and a HEAD too: the length is the file's, whatever the body carries.
    const validators: Headers = [
      ["etag", file.etag],
      ["content-length", String(file.body.byteLength)],
      ...CACHING,
    ];
    if (matchesEtag(headerValue(scope.headers, "if-none-match"), file.etag)) {
      return respond(send, 304, "", validators);
    }
    const headers: Headers = [
      ["content-type", "text/javascript; charset=utf-8"],
      ["x-content-type-options", "nosniff"],
      ...validators,
    ];
    await respond(send, 200, method === "HEAD" ? "" : file.body, headers);
  };
  // The prefix it is mounted on belongs to it: `path()` matches the prefix, not the whole path.
  return markNestedRouter(app, (scope: HttpScope) => ({ application: app, scope }));
}

/** What follows the prefix the app is mounted on: `index.js` for `/static/switchboard-client/index.js`. */
function fileName({ path, rootPath }: HttpScope): string {
  return path.startsWith(rootPath) ? path.slice(rootPath.length).replace(/^\/+/, "") : "";
}

/** The `.js` files of `directory` by name, or `null` when it has none (not built). */
async function readClientFiles(directory: URL): Promise<ReadonlyMap<string, ClientFile> | null> {
  const names = await readdir(directory).catch(() => []);
  const files = new Map<string, ClientFile>();
  for (const name of names.filter((entry) => entry.endsWith(".js"))) {
    const body = await readFile(new URL(name, directory));
    const etag = `"${createHash("sha256").update(body).digest("base64url")}"`;
    files.set(name, { body, etag });
  }
  return files.size > 0 ? files : null;
}

/** `If-None-Match` compares weakly (RFC 9110 §13.1.2): `W/"x"` matches `"x"`, `*` anything. */
function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(",").some((tag) => ["*", etag].includes(tag.trim().replace(/^W\//, "")));
}

async function respond(
  send: Send,
  status: number,
  body: string | Buffer,
  headers: Headers,
): Promise<void> {
  await send({ type: "http.response.start", status, headers });
  await send({
    type: "http.response.body",
    body: typeof body === "string" ? Buffer.from(body) : body,
  });
}
