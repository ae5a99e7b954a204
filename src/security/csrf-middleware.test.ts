import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cookieMiddleware } from "../cookies/cookie-middleware.js";
import { HttpCommunicator } from "../testing/index.js";
import type { Application, HttpScope, Receive } from "../types/asgi.js";
import { csrfMiddleware, ROTATE_CSRF_TOKEN } from "./csrf-middleware.js";
import type { CsrfOptions, CsrfScope } from "./csrf-middleware.js";

const TOKEN = "a".repeat(32);

/** Answers with the scope's token and the body it was handed. */
const echo: Application<HttpScope & CsrfScope> = async (scope, receive: Receive, send) => {
  const event = await receive();
  const body = event.type === "http.request" ? Buffer.from(event.body).toString() : "";
  await send({ type: "http.response.start", status: 200 });
  await send({ type: "http.response.body", body: Buffer.from(`${scope.csrfToken}|${body}`) });
};

function app(options?: CsrfOptions) {
  return cookieMiddleware()(csrfMiddleware(options)(echo));
}

function request(method: string, body: string, headers: Record<string, string>) {
  return new HttpCommunicator(app(), method, "/form/", body, {
    host: "testserver",
    ...headers,
  }).getResponse();
}

const form = { "content-type": "application/x-www-form-urlencoded", cookie: `csrftoken=${TOKEN}` };

describe("csrfMiddleware", () => {
  it("issues a token cookie on a safe request and exposes it on scope.csrfToken", async () => {
    const response = await request("GET", "", {});
    assert.equal(response.status, 200);
    const [token] = response.body.toString().split("|");
    assert.match(token ?? "", /^[A-Za-z0-9_-]{32}$/);
    const cookie = response.headers.find(([name]) => name === "set-cookie")?.[1] ?? "";
    assert.match(cookie, new RegExp(`^csrftoken=${token};`));
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
  });

  it("keeps a well-formed token from the cookie without setting it again", async () => {
    const response = await request("GET", "", { cookie: `csrftoken=${TOKEN}` });
    assert.equal(response.body.toString(), `${TOKEN}|`);
    assert.equal(
      response.headers.some(([name]) => name === "set-cookie"),
      false,
    );
  });

  it("sets a new token cookie when the application rotates the token (as login() does)", async () => {
    const rotating: Application<HttpScope & CsrfScope> = async (scope, _receive, send) => {
      scope[ROTATE_CSRF_TOKEN]?.();
      await send({ type: "http.response.start", status: 204 });
      await send({ type: "http.response.body", body: Buffer.alloc(0) });
    };
    const response = await new HttpCommunicator(
      cookieMiddleware()(csrfMiddleware()(rotating)),
      "GET",
      "/",
      "",
      { host: "testserver", cookie: `csrftoken=${TOKEN}` },
    ).getResponse();
    const cookie = response.headers.find(([name]) => name === "set-cookie")?.[1] ?? "";
    assert.match(cookie, /^csrftoken=[A-Za-z0-9_-]{32};/);
    assert.doesNotMatch(cookie, new RegExp(`^csrftoken=${TOKEN};`));
  });

  it("accepts a form whose field matches the cookie and hands the whole body on", async () => {
    const body = `name=x&csrfmiddlewaretoken=${TOKEN}`;
    const response = await request("POST", body, form);
    assert.equal(response.status, 200);
    assert.equal(response.body.toString(), `${TOKEN}|${body}`);
  });

  it("accepts the token in the X-CSRFToken header", async () => {
    const response = await request("POST", "{}", {
      cookie: `csrftoken=${TOKEN}`,
      "x-csrftoken": TOKEN,
    });
    assert.equal(response.status, 200);
  });

  it("refuses a POST with a wrong, missing or cookieless token with 403", async () => {
    const wrong = await request("POST", `csrfmiddlewaretoken=${"b".repeat(32)}`, form);
    assert.equal(wrong.status, 403);
    assert.match(wrong.body.toString(), /incorrect/);
    const missing = await request("POST", "name=x", form);
    assert.equal(missing.status, 403);
    const noCookie = await request("POST", `csrfmiddlewaretoken=${TOKEN}`, {
      "content-type": "application/x-www-form-urlencoded",
    });
    assert.equal(noCookie.status, 403);
    assert.match(noCookie.body.toString(), /cookie is missing/);
  });

  it("refuses a POST from another origin even with a valid token", async () => {
    const response = await request("POST", `csrfmiddlewaretoken=${TOKEN}`, {
      ...form,
      origin: "https://evil.test",
    });
    assert.equal(response.status, 403);
    assert.match(response.body.toString(), /another origin/);
  });

  it("refuses an Origin on the same host but another port", async () => {
    const response = await request("POST", `csrfmiddlewaretoken=${TOKEN}`, {
      ...form,
      origin: "http://testserver:9000",
    });
    assert.equal(response.status, 403);
    const samePort = await request("POST", `csrfmiddlewaretoken=${TOKEN}`, {
      ...form,
      origin: "http://testserver",
    });
    assert.equal(samePort.status, 200);
  });

  it("refuses a request carrying several Origin headers, whichever order they come in", async () => {
    for (const origins of [
      ["http://testserver", "https://evil.test"],
      ["https://evil.test", "http://testserver"],
    ]) {
      const headers: Array<[string, string]> = [
        ["host", "testserver"],
        ...Object.entries(form),
        ...origins.map((origin): [string, string] => ["origin", origin]),
      ];
      const response = await new HttpCommunicator(
        app(),
        "POST",
        "/form/",
        `csrfmiddlewaretoken=${TOKEN}`,
        headers,
      ).getResponse();
      assert.equal(response.status, 403);
    }
  });

  it("refuses a cross-site fetch that sends no Origin", async () => {
    const response = await request("POST", `csrfmiddlewaretoken=${TOKEN}`, {
      ...form,
      "sec-fetch-site": "cross-site",
    });
    assert.equal(response.status, 403);
  });

  it("answers 413 to a form body over the limit", async () => {
    const small = cookieMiddleware()(csrfMiddleware({ maxBodyBytes: 10 })(echo));
    const response = await new HttpCommunicator(small, "POST", "/", "x".repeat(100), {
      host: "testserver",
      ...form,
    }).getResponse();
    assert.equal(response.status, 413);
  });

  it("lets exempt requests through without a token", async () => {
    const exempt = cookieMiddleware()(csrfMiddleware({ exempt: (s) => s.path === "/form/" })(echo));
    const response = await new HttpCommunicator(exempt, "POST", "/form/", "a=1", {
      host: "testserver",
    }).getResponse();
    assert.equal(response.status, 200);
  });
});
