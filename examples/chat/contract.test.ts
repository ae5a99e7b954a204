import assert from "node:assert/strict";
import { once } from "node:events";
import { after, before, describe, test } from "node:test";
import { CHAT_SUBPROTOCOL, CHAT_SUBPROTOCOL_V2 } from "./chat-consumer.js";
import { ChatClient, closeSocket } from "./testing/chat-client.js";
import { startChat, type ChatServer } from "./testing/chat-server.js";

const PASSWORD = "correct horse battery";

describe("chat demo contract", () => {
  let demo: ChatServer;
  let ada: ChatClient;
  before(async () => {
    demo = await startChat();
    ada = new ChatClient(demo.url);
    await ada.signup("ada", PASSWORD);
    await new ChatClient(demo.url).signup("grace", PASSWORD);
  });
  after(() => demo.stop());

  test("POST /login/ answers 200 and sets the sessionid cookie", async () => {
    const client = new ChatClient(demo.url);
    const response = await client.post("/login/", { username: "ada", password: PASSWORD });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("set-cookie") ?? "", /sessionid=[a-z0-9]{32};/);
    assert.equal(await (await client.request("/whoami/")).text(), "ada");
  });

  test("POST /login/ from a browser form redirects to next with 303", async () => {
    const client = new ChatClient(demo.url);
    const response = await client.post(
      "/login/",
      { username: "ada", password: PASSWORD, next: "/chat/lobby/" },
      { headers: { accept: "text/html,application/xhtml+xml" } },
    );
    assert.equal(response.status, 303);
    assert.equal(response.headers.get("location"), "/chat/lobby/");
    assert.ok(client.cookies.has("sessionid"));
  });

  test("a next pointing at another host is replaced by /", async () => {
    const client = new ChatClient(demo.url);
    const response = await client.post(
      "/login/",
      { username: "ada", password: PASSWORD, next: "//evil.example/" },
      { headers: { accept: "text/html" } },
    );
    assert.equal(response.headers.get("location"), "/");
  });

  test("a wrong password answers 403 with the form and the error, and no session cookie", async () => {
    const client = new ChatClient(demo.url);
    const response = await client.post("/login/", {
      username: "<ada>",
      password: "wrong",
    });
    assert.equal(response.status, 403);
    const body = await response.text();
    assert.match(body, /<form method="post" action="\/login\/">/);
    assert.match(body, /do not match an account/);
    assert.match(body, /value="&lt;ada&gt;"/, "the echoed username is escaped");
    assert.doesNotMatch(response.headers.getSetCookie().join("\n"), /sessionid=/);
    assert.equal((await client.request("/whoami/")).status, 403);
  });

  test("POST /login/ without a CSRF token is refused", async () => {
    const client = new ChatClient(demo.url);
    const response = await client.post(
      "/login/",
      { username: "ada", password: PASSWORD },
      { csrf: false },
    );
    assert.equal(response.status, 403);
    assert.match(await response.text(), /CSRF/);
    assert.equal(client.cookies.has("sessionid"), false);
  });

  test("sign-up refuses a taken username and differing passwords, and logs nobody in", async () => {
    const client = new ChatClient(demo.url);
    const taken = await client.post("/signup/", {
      username: "ada",
      password: PASSWORD,
      password2: PASSWORD,
    });
    assert.equal(taken.status, 400);
    assert.match(await taken.text(), /That username is taken/);
    const differ = await client.post("/signup/", {
      username: "newcomer",
      password: PASSWORD,
      password2: `${PASSWORD}!`,
    });
    assert.equal(differ.status, 400);
    assert.match(await differ.text(), /The two passwords differ/);
    assert.equal((await client.request("/whoami/")).status, 403);
  });

  test("sign-up refuses a password the rules refuse, with their reasons, and logs nobody in", async () => {
    const client = new ChatClient(demo.url);
    const weak = await client.post("/signup/", {
      username: "newcomer",
      password: "newcomer1",
      password2: "newcomer1",
    });
    assert.equal(weak.status, 400);
    assert.match(await weak.text(), /The password is too similar to the username\./);
    const short = await client.post("/signup/", {
      username: "newcomer",
      password: "abc123",
      password2: "abc123",
    });
    assert.equal(short.status, 400);
    assert.match(
      await short.text(),
      /too short: use at least 8 characters\. The password is one of the most common ones/,
    );
    assert.equal((await client.request("/whoami/")).status, 403);
    const login = await client.post("/login/", { username: "newcomer", password: "newcomer1" });
    assert.equal(login.status, 403);
  });

  test("GET /whoami/ answers the username as text, 403 when anonymous", async () => {
    const response = await ada.request("/whoami/");
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/plain/);
    assert.equal(await response.text(), "ada");
    assert.equal((await new ChatClient(demo.url).request("/whoami/")).status, 403);
  });

  test("the room page sends an anonymous visitor to the login form", async () => {
    const response = await new ChatClient(demo.url).request("/chat/lobby/");
    assert.equal(response.status, 302);
    assert.equal(response.headers.get("location"), "/login/?next=%2Fchat%2Flobby%2F");
    assert.equal((await ada.request("/chat/lobby/")).status, 200);
  });

  test("/ws/echo/ echoes every text frame of a signed-in client", async () => {
    const { socket, inbox } = await ada.websocket("/ws/echo/");
    assert.ok(socket);
    socket.send("ping 1");
    socket.send("ping 2");
    assert.equal(await inbox.next(), "ping 1");
    assert.equal(await inbox.next(), "ping 2");
    await closeSocket(socket);
  });

  test("an anonymous client's sockets are refused with 403", async () => {
    const anonymous = new ChatClient(demo.url);
    assert.equal((await anonymous.websocket("/ws/echo/")).status, 403);
    assert.equal((await anonymous.websocket("/ws/chat/lobby/")).status, 403);
  });

  test("a socket opened from another origin is refused, one from this origin accepted", async () => {
    const foreign = await ada.websocket("/ws/chat/lobby/", { origin: "http://evil.example" });
    assert.equal(foreign.status, 403);
    const own = await ada.websocket("/ws/chat/lobby/", { origin: demo.url });
    assert.equal(own.status, 101);
    await closeSocket(own.socket!);
  });

  test("/ws/chat/<room>/ delivers each text frame unchanged to every member, sender included", async () => {
    const grace = new ChatClient(demo.url);
    await grace.post("/login/", { username: "grace", password: PASSWORD });
    const first = await ada.websocket("/ws/chat/relay/");
    const second = await grace.websocket("/ws/chat/relay/");
    const elsewhere = await grace.websocket("/ws/chat/other-room/");
    assert.ok(first.socket && second.socket && elsewhere.socket);
    const inboxes = [first.inbox, second.inbox];
    first.socket.send('hello {"not": "json"}');
    for (const inbox of inboxes) assert.equal(await inbox.next(), 'hello {"not": "json"}');
    second.socket.send("hi ada");
    for (const inbox of inboxes) assert.equal(await inbox.next(), "hi ada");
    await assert.rejects(elsewhere.inbox.next(200), /no frame/);
    await Promise.all([first.socket, second.socket, elsewhere.socket].map(closeSocket));
  });

  test(`the ${CHAT_SUBPROTOCOL} subprotocol carries usernames and presence as JSON`, async () => {
    const grace = new ChatClient(demo.url);
    await grace.post("/login/", { username: "grace", password: PASSWORD });
    const first = await ada.websocket("/ws/chat/json/", { subprotocol: CHAT_SUBPROTOCOL });
    assert.ok(first.socket);
    assert.equal(first.socket.protocol, CHAT_SUBPROTOCOL);
    const adaInbox = first.inbox;
    await adaInbox.presence(["ada"]);

    const second = await grace.websocket("/ws/chat/json/", { subprotocol: CHAT_SUBPROTOCOL });
    assert.ok(second.socket);
    const graceInbox = second.inbox;
    await adaInbox.presence(["ada", "grace"]);
    await graceInbox.presence(["ada", "grace"]);

    second.socket.send("hello <ada>");
    const message = { type: "message", user: "grace", text: "hello <ada>" };
    assert.deepEqual(await adaInbox.nextOfType("message"), message);
    assert.deepEqual(await graceInbox.nextOfType("message"), message);

    await closeSocket(second.socket);
    await adaInbox.presence(["ada"]);
    await closeSocket(first.socket);
  });

  test(`the ${CHAT_SUBPROTOCOL_V2} subprotocol takes JSON posts and acknowledges each with its ref`, async () => {
    const grace = new ChatClient(demo.url);
    await grace.post("/login/", { username: "grace", password: PASSWORD });
    const first = await ada.websocket("/ws/chat/acks/", { subprotocol: CHAT_SUBPROTOCOL_V2 });
    assert.ok(first.socket);
    assert.equal(first.socket.protocol, CHAT_SUBPROTOCOL_V2);
    const second = await grace.websocket("/ws/chat/acks/", { subprotocol: CHAT_SUBPROTOCOL_V2 });
    assert.ok(second.socket);
    await first.inbox.presence(["ada", "grace"]);

    second.socket.send(JSON.stringify({ type: "message", text: "acked", ref: "r1" }));
    assert.deepEqual(await second.inbox.nextOfType("ack"), { type: "ack", ref: "r1" });
    const message = { type: "message", user: "grace", text: "acked" };
    assert.deepEqual(await first.inbox.nextOfType("message"), message);

    // Plain text is the v1 way to post; on v2 it is a malformed frame (1007).
    const closed = once(second.socket, "close");
    second.socket.send("plain text");
    assert.equal((await closed)[0], 1007);
    await closeSocket(first.socket);
  });

  test("after logout the session cookie is gone and its sockets are refused", async () => {
    const client = new ChatClient(demo.url);
    await client.post("/login/", { username: "grace", password: PASSWORD });
    const stale = client.cookies.get("sessionid");
    assert.equal((await client.post("/logout/", {})).status, 303);
    assert.equal(client.cookies.has("sessionid"), false);
    assert.equal((await client.request("/whoami/")).status, 403);
    client.cookies.set("sessionid", stale!);
    assert.equal((await client.websocket("/ws/chat/lobby/")).status, 403);
  });

  test("logs each login, failed login (password cleansed) and logout", async () => {
    const client = new ChatClient(demo.url);
    const from = demo.logged.length;
    await client.post("/login/", { username: "grace", password: "not it" });
    await client.post("/login/", { username: "grace", password: PASSWORD });
    await client.post("/logout/", {});
    assert.deepEqual(demo.logged.slice(from), [
      'auth: login failed {"username":"grace","password":"********************"}',
      "auth: grace logged in",
      "auth: grace logged out",
    ]);
  });
});

describe("chat demo contract with SWITCHBOARD_BENCH", () => {
  test("POST /login/ is accepted without a CSRF token", async (t) => {
    const demo = await startChat({ bench: true });
    t.after(() => demo.stop());
    const client = new ChatClient(demo.url);
    await client.signup("bench", PASSWORD);
    const fresh = new ChatClient(demo.url);
    const response = await fresh.post(
      "/login/",
      { username: "bench", password: PASSWORD },
      { csrf: false },
    );
    assert.equal(response.status, 200);
    assert.ok(fresh.cookies.has("sessionid"));
  });
});
