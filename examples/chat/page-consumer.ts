import { HttpConsumer, type Headers } from "switchboard";
import type { PageScope } from "./chat-scope.js";
import type { Html } from "./html.js";
import type { PageContext } from "./pages.js";

/** Headers of every HTML page: scripts, styles and sockets from this origin only; no framing. */
const PAGE_HEADERS: Headers = [
  ["content-type", "text/html; charset=utf-8"],
  [
    "content-security-policy",
    "default-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  ],
  ["x-content-type-options", "nosniff"],
  ["referrer-policy", "same-origin"],
  ["cache-control", "no-store"],
];

/**
 * `next` when it is a path on this site, else `/`: a login form must not become an open
 * redirect to another host (`//evil.example`, `/\evil.example`).
 */
export function safeNext(next: string | null | undefined): string {
  if (typeof next !== "string" || !next.startsWith("/") || /^\/[/\\]/.test(next)) return "/";
  return next;
}

/**
 * A server-rendered page: `GET` (and `HEAD`) call {@link get}, `POST` calls {@link post} with
 * the decoded form; other methods get 405. The CSRF check already ran in `authMiddlewareStack`.
 */
export abstract class PageConsumer<S extends PageScope = PageScope> extends HttpConsumer<S> {
  get?(): Promise<void>;
  post?(form: URLSearchParams): Promise<void>;

  override async handle(body: Buffer): Promise<void> {
    const { method } = this.scope;
    if ((method === "GET" || method === "HEAD") && this.get) return this.get();
    if (method === "POST" && this.post) return this.post(new URLSearchParams(body.toString()));
    const allow = [this.get && "GET, HEAD", this.post && "POST"].filter(Boolean).join(", ");
    await this.sendText(405, "Method Not Allowed\n", [["allow", allow]]);
  }

  /** The signed-in user's name and the CSRF token, for `pages.ts`. */
  protected context(): PageContext {
    const { user, csrfToken } = this.scope;
    return { username: user.isAuthenticated ? user.username : null, csrfToken };
  }

  /** The request's query string, decoded. */
  protected query(): URLSearchParams {
    return new URLSearchParams(this.scope.queryString);
  }

  /** Whether the client reads HTML (a browser) rather than a script or a load generator. */
  protected wantsHtml(): boolean {
    return this.scope.headers.some(
      ([name, value]) => name === "accept" && value.includes("text/html"),
    );
  }

  protected sendHtml(status: number, page: Html): Promise<void> {
    return this.sendResponse(status, page.toString(), PAGE_HEADERS);
  }

  protected sendText(status: number, text: string, headers: Headers = []): Promise<void> {
    return this.sendResponse(status, text, [
      ["content-type", "text/plain; charset=utf-8"],
      ...headers,
    ]);
  }

  /** 303 See Other: after a form post the browser follows with a GET. */
  protected redirect(location: string): Promise<void> {
    return this.sendResponse(303, "", [["location", location]]);
  }
}
