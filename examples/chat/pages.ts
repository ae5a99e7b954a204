import { html, type Html } from "./html.js";
import type { Room } from "./room-store.js";

/** What every page knows about the request. */
export interface PageContext {
  /** The signed-in user's name, or `null` for an anonymous visitor. */
  username: string | null;
  /** For the hidden field every form posts back (see `csrfMiddleware`). */
  csrfToken: string;
}

const csrfField = (context: PageContext) =>
  html`<input type="hidden" name="csrfmiddlewaretoken" value="${context.csrfToken}" />`;

function layout(context: PageContext, title: string, main: Html): Html {
  const account =
    context.username === null
      ? html`<a href="/login/">Log in</a> <a class="button" href="/signup/">Sign up</a>`
      : html`<span class="me">Signed in as <strong>${context.username}</strong></span>
          <form method="post" action="/logout/">
            ${csrfField(context)}<button class="link">Log out</button>
          </form>`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · Switchboard chat</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/static/chat.css" />
      </head>
      <body>
        <header>
          <a class="brand" href="/">Switchboard chat</a>
          <nav>${account}</nav>
        </header>
        <main>${main}</main>
      </body>
    </html> `;
}

const errorBox = (error: string | null) =>
  error !== null && html`<p class="error" role="alert">${error}</p>`;

/** Fields the login and sign-up forms show again after a failed attempt. */
export interface AccountForm {
  username: string;
  next: string;
  error: string | null;
}

/** `GET /login/`, and the answer to a failed `POST /login/`. */
export function loginPage(context: PageContext, form: AccountForm): Html {
  return layout(
    context,
    "Log in",
    html`<section class="card narrow">
      <h1>Log in</h1>
      ${errorBox(form.error)}
      <form method="post" action="/login/">
        ${csrfField(context)}
        <input type="hidden" name="next" value="${form.next}" />
        <label
          >Username
          <input
            name="username"
            value="${form.username}"
            autocomplete="username"
            required
            autofocus
        /></label>
        <label
          >Password <input name="password" type="password" autocomplete="current-password" required
        /></label>
        <button>Log in</button>
        <button type="button" id="socket-login" class="link">Sign in over WebSocket</button>
      </form>
      <p class="error" role="alert" id="socket-login-error" hidden></p>
      <p class="hint">
        No account yet? <a href="/signup/?next=${encodeURIComponent(form.next)}">Sign up</a>
      </p>
      <script src="/static/socket-login.js" type="module"></script>
    </section>`,
  );
}

/** `GET /signup/`, and the answer to a refused `POST /signup/`. */
export function signupPage(context: PageContext, form: AccountForm): Html {
  return layout(
    context,
    "Sign up",
    html`<section class="card narrow">
      <h1>Sign up</h1>
      ${errorBox(form.error)}
      <form method="post" action="/signup/">
        ${csrfField(context)}
        <input type="hidden" name="next" value="${form.next}" />
        <label
          >Username
          <input
            name="username"
            value="${form.username}"
            autocomplete="username"
            maxlength="150"
            required
            autofocus
        /></label>
        <label
          >Password <input name="password" type="password" autocomplete="new-password" required
        /></label>
        <label
          >Password again
          <input name="password2" type="password" autocomplete="new-password" required
        /></label>
        <button>Create account</button>
      </form>
      <p class="hint">
        Have an account? <a href="/login/?next=${encodeURIComponent(form.next)}">Log in</a>
      </p>
    </section>`,
  );
}

/** `GET /`: the rooms, and a form to open one by name. */
export function roomsPage(
  context: PageContext,
  rooms: readonly Room[],
  form: { name: string; error: string | null },
): Html {
  const list =
    rooms.length === 0
      ? html`<p class="hint">No rooms yet: open the first one.</p>`
      : html`<ul class="rooms">
          ${rooms.map(
            (room) =>
              html`<li>
                <a href="/chat/${room.name}/">#${room.name}</a
                ><span class="hint">opened by ${room.createdBy}</span>
              </li>`,
          )}
        </ul>`;
  return layout(
    context,
    "Rooms",
    html`<section class="card">
      <h1>Rooms</h1>
      ${errorBox(form.error)}
      <form class="inline" method="post" action="/">
        ${csrfField(context)}
        <input
          name="name"
          value="${form.name}"
          placeholder="room name, e.g. lobby"
          pattern="[A-Za-z0-9_\\-]{1,40}"
          title="Letters, digits, - and _ (up to 40)"
          required
          aria-label="Room name"
        />
        <button>Create or join</button>
      </form>
      ${list}
    </section>`,
  );
}

/** `GET /chat/<room>/`: the chat itself; `chat.js` connects it. */
export function roomPage(context: PageContext, room: string): Html {
  return layout(
    context,
    `#${room}`,
    html`<section class="room" data-room="${room}" data-user="${context.username}">
        <div class="card chat">
          <div class="chat-head">
            <h1>#${room}</h1>
            <span class="status" id="status">connecting…</span>
          </div>
          <ol class="log" id="log" aria-live="polite"></ol>
          <form class="inline" id="send">
            <input
              id="message"
              autocomplete="off"
              maxlength="2000"
              placeholder="Write a message…"
              aria-label="Message"
              disabled
            />
            <button disabled>Send</button>
          </form>
        </div>
        <aside class="card presence">
          <h2>In this room</h2>
          <ul id="presence"></ul>
          <p><a href="/">← All rooms</a></p>
        </aside>
      </section>
      <script src="/static/chat.js" type="module"></script>`,
  );
}
