// A Switchboard project: a login page, a page that says who is signed in, and a WebSocket for
// signed-in users. `npm start` migrates the database and serves this module; see README.md.
import {
  authenticate,
  authMiddlewareStack,
  clientFilesApp,
  HttpConsumer,
  ImproperlyConfigured,
  JsonWebsocketConsumer,
  login,
  logout,
  ModelBackend,
  openDatabase,
  path,
  protocolTypeRouter,
  SqlSessionStore,
  SqlUserStore,
  urlRouter,
  type AuthScope,
  type CsrfScope,
  type HttpScope,
  type WebsocketScope,
} from "switchboard";

// `switchboard serve` reads ./.env, which `switchboard init` wrote with a random secret.
const secretKey = process.env.SWITCHBOARD_SECRET_KEY;
if (!secretKey) {
  throw new ImproperlyConfigured(
    "SWITCHBOARD_SECRET_KEY is not set: run from the project directory (its .env sets it)",
  );
}
const db = await openDatabase(process.env.SWITCHBOARD_DB ?? "./switchboard.sqlite3");
const users = new SqlUserStore(db);
const auth = { store: new SqlSessionStore(db), backends: [new ModelBackend({ users })], secretKey };

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** An HTML page. Every form that posts carries `csrfField()`, or the CSRF check refuses it. */
abstract class Page extends HttpConsumer<HttpScope & AuthScope & CsrfScope> {
  protected html(status: number, body: string): Promise<void> {
    // the empty icon keeps the browser from asking for /favicon.ico, which no route serves
    const head = `<meta charset="utf-8"><link rel="icon" href="data:,"><title>Switchboard</title>`;
    const page = `<!doctype html>${head}\n${body}\n`;
    return this.sendResponse(status, page, [["content-type", "text/html; charset=utf-8"]]);
  }

  protected csrfField(): string {
    return `<input type="hidden" name="csrfmiddlewaretoken" value="${this.scope.csrfToken}">`;
  }

  /** 303 See Other: after a form post the browser follows with a GET. */
  protected redirect(location: string): Promise<void> {
    return this.sendResponse(303, "", [["location", location]]);
  }
}

/** `/`: who is signed in; a signed-in page talks to the echo socket with switchboard/client. */
class HomePage extends Page {
  override async handle(): Promise<void> {
    const { user } = this.scope;
    if (!user.isAuthenticated)
      return this.html(200, `<p>Nobody is signed in. <a href="/login/">Log in</a>`);
    await this.html(
      200,
      `<p>Signed in as <b>${escape(user.username)}</b>.</p>
<form method="post" action="/logout/">${this.csrfField()}<button>Log out</button></form>
<p>The echo socket says: <output>connecting…</output></p>
<script type="module">
  import { connect } from "/static/switchboard-client/index.js";
  const output = document.querySelector("output");
  const socket = connect("/ws/echo/"); // JSON frames; reconnects after a drop
  socket.on("open", () => socket.send("hello"));
  socket.on("message", ({ from, echo }) => (output.textContent = from + ": " + echo));
  socket.on("reconnecting", () => (output.textContent = "connection lost, reconnecting…"));
  // Refused (not signed in) or closed for good (logged out elsewhere): no retry.
  socket.on("refused", ({ reason }) => (output.textContent = "refused: " + (reason || "log in")));
</script>`,
    );
  }
}

/** `/login/`: GET shows the form, POST logs in and goes home, or shows the form again. */
class LoginPage extends Page {
  override async handle(body: Buffer): Promise<void> {
    const form = `<form method="post">${this.csrfField()}
<input name="username" placeholder="username" autofocus>
<input name="password" type="password" placeholder="password"> <button>Log in</button></form>`;
    if (this.scope.method !== "POST") return this.html(200, form);
    const fields = new URLSearchParams(body.toString());
    const credentials = { username: fields.get("username"), password: fields.get("password") };
    const user = await authenticate(credentials, this.scope);
    if (user === null) return this.html(403, `<p>Wrong username or password.</p>${form}`);
    await login(this.scope, user); // a new session key, and a new CSRF token
    await this.redirect("/");
  }
}

/** `/logout/`: a POST (behind the CSRF check, so no other site can log you out). */
class LogoutPage extends Page {
  override async handle(): Promise<void> {
    if (this.scope.method === "POST") await logout(this.scope);
    await this.redirect("/");
  }
}

/** `/ws/echo/`: signed-in users only (anonymous handshakes get HTTP 403); echoes JSON with the name. */
class EchoConsumer extends JsonWebsocketConsumer<WebsocketScope & AuthScope> {
  override async connect(): Promise<void> {
    if (this.scope.user.isAuthenticated) await this.accept();
    else await this.close();
  }

  override async receiveJson(content: unknown): Promise<void> {
    await this.sendJson({ from: this.scope.user.username, echo: content });
  }
}

const pages = urlRouter([
  path("", HomePage.asApp()),
  path("login/", LoginPage.asApp()),
  path("logout/", LogoutPage.asApp()),
]);

export const application = protocolTypeRouter({
  http: urlRouter([
    // The browser client's modules, for the home page's script; they need no session.
    path("static/switchboard-client/", clientFilesApp()),
    // The stack refuses a POST without the form's CSRF token, or from another site (HTTP 403).
    path("", authMiddlewareStack(pages, auth), { nested: true }),
  ]),
  // The stack refuses a handshake whose Origin is another site's (HTTP 403).
  websocket: authMiddlewareStack(urlRouter([path("ws/echo/", EchoConsumer.asApp())]), auth),
});
