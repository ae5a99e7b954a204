// Replay a failure: FC_SEED=<seed> FC_PATH=<path> node scripts/test.js src/cookies/cookies.property.test.ts
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { fuzzRuns } from "../../test/support/fuzz.js";
import { parseCookies } from "./cookie-middleware.js";
import { setCookie } from "./set-cookie.js";

/** Names that are properties of every plain object: a careless parser writes through them. */
const PROTOTYPE_NAMES = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty"];

// An RFC 7230 token, the names setCookie accepts, with the prototype's names among them.
const cookieName = fc.oneof(
  fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}$/),
  fc.constantFrom(...PROTOTYPE_NAMES),
);
// Any well-formed string: setCookie percent-encodes it (a lone surrogate cannot be, and is refused).
const cookieValue = fc.oneof(fc.string({ unit: "grapheme" }), fc.string({ unit: "binary-ascii" }));
// What a client may put in a Cookie header: anything, with the separators and escapes parsers trip on.
const headerText = fc.oneof(
  fc.string({ unit: "binary" }),
  fc
    .array(fc.constantFrom(";", "=", " ", "\t", '"', "%", "%E0%A4%A", "%zz", "a", "__proto__"), {
      maxLength: 24,
    })
    .map((parts) => parts.join("")),
);

function header(name: string, value: string): string {
  const [[, setCookieHeader] = ["", ""]] = setCookie([], name, value);
  // The Cookie header a browser sends back carries only the name=value part.
  return setCookieHeader.split(";")[0] ?? "";
}

function assertPrototypesUntouched(): void {
  const fresh: Record<string, unknown> = {};
  for (const name of ["polluted", "x", "a"]) assert.equal(fresh[name], undefined);
  assert.equal(Object.getPrototypeOf(fresh), Object.prototype);
  assert.equal(typeof fresh.toString, "function");
}

describe("parseCookies (property)", () => {
  test("parses any Cookie headers without throwing, into string values only", () => {
    fc.assert(
      fc.property(fc.array(headerText, { maxLength: 3 }), (values) => {
        const cookies = parseCookies(values.map((value) => ["cookie", value] as const));
        for (const name in cookies) {
          assert.notEqual(name, "");
          assert.equal(typeof cookies[name], "string");
        }
        assertPrototypesUntouched();
      }),
      fuzzRuns(500),
    );
  });

  test("gives back every cookie setCookie wrote, the first of a repeated name winning", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cookieName, cookieValue), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (pairs, splitHeaders) => {
          const sent = pairs.map(([name, value]) => header(name, value));
          const headers = splitHeaders
            ? sent.map((pair) => ["cookie", pair] as const)
            : [["cookie", sent.join("; ")] as const];
          const cookies = parseCookies(headers);
          const expected = new Map<string, string>();
          for (const [name, value] of pairs) if (!expected.has(name)) expected.set(name, value);
          assert.deepEqual(new Map(Object.entries(cookies)), expected);
        },
      ),
      fuzzRuns(300),
    );
  });

  test("a malformed pair never hides a well-formed one after it, unless it sets that name itself", () => {
    fc.assert(
      fc.property(headerText, cookieName, cookieValue, fc.boolean(), (junk, name, value, split) => {
        const pair = header(name, value);
        const headers = split
          ? [["cookie", junk] as const, ["cookie", pair] as const]
          : [["cookie", `${junk}; ${pair}`] as const];
        // cookie's rule, documented on parseCookies: the first pair of a name wins, so junk
        // that itself reads as `name=...` legitimately shadows the later pair.
        const shadow = parseCookies([["cookie", junk]])[name];
        assert.equal(parseCookies(headers)[name], shadow ?? value);
      }),
      fuzzRuns(500),
    );
  });

  test("stores prototype names as plain cookies and pollutes no prototype", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PROTOTYPE_NAMES),
        fc.constantFrom(...PROTOTYPE_NAMES, "polluted"),
        cookieValue,
        (first, second, value) => {
          const line = `${first}=${encodeURIComponent(value)}; ${first}.${second}=1; ${second}=x`;
          const cookies = parseCookies([["cookie", line]]);
          assert.equal(Object.hasOwn(cookies, first), true);
          assert.equal(cookies[first], value);
          assertPrototypesUntouched();
        },
      ),
      fuzzRuns(200),
    );
  });
});
