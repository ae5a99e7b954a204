import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ImproperlyConfigured } from "../errors.js";
import type { HttpScope, Receive, Send } from "../types/asgi.js";
import { cookieMiddleware, parseCookies } from "./cookie-middleware.js";
import type { CookieScope } from "./cookie-middleware.js";
import { deleteCookie, setCookie } from "./set-cookie.js";

const noReceive: Receive = async () => ({ type: "http.disconnect" });
const noSend: Send = async () => {};

function httpScope(headers: Array<[string, string]>): HttpScope {
  return {
    type: "http",
    method: "GET",
    scheme: "http",
    httpVersion: "1.1",
    path: "/",
    rawPath: "/",
    rootPath: "",
    queryString: "",
    headers,
    client: null,
    server: null,
  };
}

function setCookieHeader(headers: ReadonlyArray<readonly [string, string]>): string {
  const found = headers.filter(([name]) => name === "set-cookie");
  assert.equal(found.length, 1);
  return found[0]?.[1] ?? "";
}

describe("parseCookies", () => {
  test("joins every Cookie header, as HTTP/2 clients split them", () => {
    const cookies = parseCookies([
      ["cookie", "a=1; b=2"],
      ["accept", "*/*"],
      ["cookie", "c=3"],
    ]);
    assert.deepEqual({ ...cookies }, { a: "1", b: "2", c: "3" });
  });

  test("keeps the first of duplicate names", () => {
    assert.equal(parseCookies([["cookie", "a=first; a=second"]]).a, "first");
  });

  test("skips pairs without = or without a name and keeps the well-formed rest", () => {
    const cookies = parseCookies([["cookie", "junk; =nameless; ok=1;; ;x"]]);
    assert.deepEqual({ ...cookies }, { ok: "1" });
  });

  test("decodes percent-encoding and keeps a broken encoding raw", () => {
    const cookies = parseCookies([["cookie", "good=%E2%9C%93; bad=%E0%A4%A; pct=100%"]]);
    assert.equal(cookies.good, "✓");
    assert.equal(cookies.bad, "%E0%A4%A");
    assert.equal(cookies.pct, "100%");
  });

  test("treats __proto__ as an ordinary cookie name", () => {
    const cookies = parseCookies([["cookie", "__proto__=x; constructor=y"]]);
    assert.equal(cookies["__proto__"], "x");
    assert.equal(cookies.constructor, "y");
    assert.equal(Object.getPrototypeOf({}).polluted, undefined);
  });

  test("gives an empty object without a Cookie header or with an empty one", () => {
    assert.deepEqual({ ...parseCookies([]) }, {});
    assert.deepEqual({ ...parseCookies([["cookie", ""]]) }, {});
  });
});

describe("cookieMiddleware", () => {
  test("puts the parsed cookies on the scope it hands on, leaving the caller's scope alone", async () => {
    let seen: (HttpScope & CookieScope) | undefined;
    const app = cookieMiddleware()<HttpScope>(async (scope) => {
      seen = scope;
    });
    const outer = httpScope([["cookie", "sessionid=abc; theme=dark"]]);
    await app(outer, noReceive, noSend);
    assert.deepEqual({ ...seen?.cookies }, { sessionid: "abc", theme: "dark" });
    assert.equal("cookies" in outer, false);
  });
});

describe("setCookie", () => {
  test("appends a Set-Cookie header with every attribute", () => {
    const headers = setCookie([["content-type", "text/plain"]], "theme", "dark mode;", {
      maxAge: 3600.7,
      path: "/app",
      domain: "example.com",
      secure: true,
      httpOnly: true,
      sameSite: "strict",
      partitioned: true,
    });
    assert.deepEqual(headers[0], ["content-type", "text/plain"]);
    const header = setCookieHeader(headers);
    assert.match(header, /^theme=dark%20mode%3B; /);
    for (const part of [
      "Max-Age=3600",
      "Domain=example.com",
      "Path=/app",
      "HttpOnly",
      "Secure",
      "Partitioned",
      "SameSite=Strict",
    ]) {
      assert.ok(header.split("; ").includes(part), `${part} in ${header}`);
    }
    const expires = /Expires=([^;]+)/.exec(header)?.[1] ?? "";
    const lifetime = Date.parse(expires) - Date.now();
    assert.ok(lifetime > 3500_000 && lifetime <= 3601_000, `expires ${expires}`);
  });

  test("round-trips any value through cookieMiddleware's parsing", () => {
    const value = 'ünï=cødé; 100% "quoted"';
    const header = setCookieHeader(setCookie([], "v", value));
    assert.equal(parseCookies([["cookie", header.split(";")[0] ?? ""]]).v, value);
  });

  test("writes an explicit expires and no Max-Age when only expires is given", () => {
    const header = setCookieHeader(
      setCookie([], "a", "1", { expires: new Date(Date.UTC(2030, 0, 2)) }),
    );
    assert.equal(header, "a=1; Expires=Wed, 02 Jan 2030 00:00:00 GMT");
  });

  test("rejects names that are not tokens", () => {
    for (const name of ["", "a b", "a;b", "a=b", "ä", "a\n"]) {
      assert.throws(() => setCookie([], name, "1"), ImproperlyConfigured, name);
    }
  });

  test("rejects a value that cannot be percent-encoded (a lone surrogate)", () => {
    assert.throws(() => setCookie([], "a", "\uD800"), ImproperlyConfigured);
  });

  test("rejects domains and paths that would inject attributes", () => {
    assert.throws(
      () => setCookie([], "a", "1", { path: "/; Domain=evil.com" }),
      ImproperlyConfigured,
    );
    assert.throws(() => setCookie([], "a", "1", { domain: "a.com; Secure" }), ImproperlyConfigured);
  });

  test("rejects sameSite none or partitioned without secure", () => {
    assert.throws(() => setCookie([], "a", "1", { sameSite: "none" }), /secure/);
    assert.throws(() => setCookie([], "a", "1", { partitioned: true }), /secure/);
    assert.match(
      setCookieHeader(setCookie([], "a", "1", { sameSite: "none", secure: true })),
      /SameSite=None/,
    );
  });

  test("rejects a maxAge that is not finite", () => {
    assert.throws(() => setCookie([], "a", "1", { maxAge: Number.NaN }), ImproperlyConfigured);
  });
});

describe("deleteCookie", () => {
  test("expires the cookie at once on the given path and domain", () => {
    const header = setCookieHeader(
      deleteCookie([], "sessionid", { path: "/", domain: "example.com" }),
    );
    assert.equal(
      header,
      "sessionid=; Max-Age=0; Domain=example.com; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
    );
  });
});
