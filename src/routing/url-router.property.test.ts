// Replay a failure: FC_SEED=<seed> FC_PATH=<path> node scripts/test.js src/routing/url-router.property.test.ts
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { fuzzRuns } from "../../test/support/fuzz.js";
import { HttpCommunicator, WebsocketCommunicator } from "../testing/index.js";
import type { Application, UrlRoute } from "../types/asgi.js";
import { path } from "./path.js";
import { rePath } from "./re-path.js";
import type { RoutableScope } from "./route.js";
import { urlRouter } from "./url-router.js";

interface Served {
  app: string;
  path: string;
  rootPath: string;
  urlRoute?: UrlRoute;
}

/** A leaf that tells, over HTTP or a WebSocket, which route served the connection and how. */
function leaf(name: string): Application<RoutableScope> {
  return async function leaf(scope, receive, send) {
    const { path, rootPath, urlRoute } = scope;
    const served: Served = { app: name, path, rootPath, urlRoute };
    if (scope.type === "http") {
      await send({ type: "http.response.start", status: 200 });
      await send({ type: "http.response.body", body: Buffer.from(JSON.stringify(served)) });
      return;
    }
    await receive();
    await send({ type: "websocket.accept" });
  };
}

const API_LEAVES = new Set(["api-item", "api-file"]);
const api = urlRouter([
  path("items/<int:id>/", leaf("api-item")),
  rePath(/^files\/(?<name>.+)$/, leaf("api-file")),
]);
const router = urlRouter(
  [
    path("api/", api),
    path("admin/", leaf("admin")),
    path("n/<int:value>/", leaf("int")),
    path("s/<str:value>/", leaf("str")),
    path("g/<slug:value>/", leaf("slug")),
    path("u/<uuid:value>/", leaf("uuid")),
    path("p/<path:value>", leaf("path")),
  ],
  { logger: () => {} },
);

/** The route that served `target`, or the status when none did. */
async function serve(target: string): Promise<Served | number> {
  const response = await new HttpCommunicator(router, "GET", target).getResponse();
  if (response.status !== 200) return response.status;
  return JSON.parse(response.body.toString()) as Served;
}

/** The path as routes see it: leading slashes do not count. */
const relative = (scopePath: string) => scopePath.replace(/^\/+/, "");

// Pieces of paths that confuse routers: dot segments raw and encoded, encoded slashes and
// backslashes, the router's own prefixes, broken escapes.
const trickyPath = fc
  .array(
    fc.oneof(
      fc.constantFrom("api", "admin", "items", "files", "7", "..", ".", "", "%2e%2e", "%2E%2e"),
      fc.constantFrom("%2F", "%2f..%2f", "%5C", "..%5Cadmin", "%61dmin", "api%2F..", "%00", "%"),
      fc.string({ unit: "binary", maxLength: 6 }),
    ),
    { maxLength: 7 },
  )
  .map((segments) => `/${segments.join("/")}`);
// A path under the nested router's prefix that climbs out of it towards another route.
const escapeAttempt = fc
  .tuple(
    fc.constantFrom("api/", "%61pi/", "api%2F", "api/items/", "api//"),
    fc.array(fc.constantFrom("..", "%2e%2e", "%2E%2E", ".%2e", ".", ""), {
      minLength: 1,
      maxLength: 4,
    }),
    fc.constantFrom("/", "%2F", "%2f", "%5C", "\\"),
    fc.constantFrom(
      "admin/",
      "n/7/",
      "s/x/",
      "p/etc/passwd",
      "api/items/7/",
      "items/7/",
      "files/x",
    ),
  )
  .map(
    ([prefix, dots, separator, target]) => `/${prefix}${dots.join(separator)}${separator}${target}`,
  );
const anyPath = fc.oneof(
  trickyPath,
  fc.string({ unit: "binary" }).map((text) => `/${text}`),
);

/** Percent-encodes `text` as a client would before putting it in one path segment. */
const segment = (text: string) => encodeURIComponent(text);

describe("urlRouter (property)", () => {
  test("answers any HTTP path with a route or a 404, never an exception", async () => {
    await fc.assert(
      fc.asyncProperty(anyPath, async (target) => {
        const served = await serve(target);
        if (typeof served === "number") return assert.equal(served, 404);
        // whatever a route consumed is the start of the path
        assert.ok(served.path.startsWith(served.rootPath), JSON.stringify(served));
      }),
      fuzzRuns(300),
    );
  });

  test("accepts or refuses any WebSocket path with the documented 1008, never an exception", async () => {
    await fc.assert(
      fc.asyncProperty(anyPath, async (target) => {
        const communicator = new WebsocketCommunicator(router, target);
        const result = await communicator.connect();
        if (!result.connected) assert.equal(result.closeCode, 1008);
        await communicator.disconnect();
      }),
      fuzzRuns(150),
    );
  });

  test("percent-encoding and dot segments never route outside a nested router's prefix", async () => {
    await fc.assert(
      fc.asyncProperty(escapeAttempt, async (target) => {
        const served = await serve(target);
        if (typeof served === "number") return assert.equal(served, 404);
        assert.ok(API_LEAVES.has(served.app), `${served.app} served ${target}`);
        assert.ok(relative(served.rootPath).startsWith("api/"), served.rootPath);
      }),
      fuzzRuns(300),
    );
  });

  test("a path starts with what the route that served it consumed, the api prefix for api routes", async () => {
    await fc.assert(
      fc.asyncProperty(trickyPath, async (target) => {
        const served = await serve(target);
        if (typeof served === "number") return;
        const rest = relative(served.path);
        assert.equal(API_LEAVES.has(served.app), rest.startsWith("api/"), JSON.stringify(served));
        if (served.app === "admin") assert.equal(rest, "admin/");
      }),
      fuzzRuns(200),
    );
  });

  test("int matches exactly the digit strings that are safe integers, and converts them", async () => {
    const digits = fc.oneof(
      fc.maxSafeNat().map(String),
      fc.stringMatching(/^[0-9]{1,20}$/),
      // past 2^53 a number no longer holds the integer: such a path must not match
      fc.bigInt({ min: 2n ** 53n, max: 10n ** 30n }).map(String),
    );
    const notDigits = fc.constantFrom("-1", "+1", "1.5", "1e3", " 1", "0x1f", "١٢", "", "∞");
    await fc.assert(
      fc.asyncProperty(fc.oneof(digits, notDigits, fc.string()), async (text) => {
        const served = await serve(`/n/${segment(text)}/`);
        const claimed = /^[0-9]+$/.test(text) && Number.isSafeInteger(Number(text));
        if (!claimed) return assert.equal(served, 404);
        assert.deepEqual(typeof served === "number" ? served : served.urlRoute, {
          args: [],
          kwargs: { value: Number(text) },
        });
      }),
      fuzzRuns(300),
    );
  });

  test("a safe integer round-trips through an int segment", async () => {
    await fc.assert(
      fc.asyncProperty(fc.maxSafeNat(), async (value) => {
        const served = await serve(`/n/${value}/`);
        assert.equal(typeof served === "number" ? served : served.urlRoute?.kwargs.value, value);
      }),
      fuzzRuns(100),
    );
  });

  test("str, slug and uuid match only what they claim and hand back the decoded text", async () => {
    const kinds = {
      str: { prefix: "s", claim: /^[^/]+$/ },
      slug: { prefix: "g", claim: /^[-a-zA-Z0-9_]+$/ },
      uuid: {
        prefix: "u",
        claim: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      },
    };
    const text = fc.oneof(
      fc.string({ unit: "grapheme" }),
      fc.stringMatching(/^[-a-zA-Z0-9_]{1,12}$/),
      fc.uuid(),
      fc.uuid().map((uuid) => uuid.toUpperCase()),
      fc.constantFrom("a/b", "é", "..", "%", "%2F", " ", "a b", "\n"),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("str", "slug", "uuid") as fc.Arbitrary<"str">,
        text,
        async (kind, value) => {
          const { prefix, claim } = kinds[kind];
          const served = await serve(`/${prefix}/${segment(value)}/`);
          if (!claim.test(value)) return assert.equal(served, 404, `${kind} matched ${value}`);
          assert.equal(typeof served === "number" ? served : served.app, kind);
          assert.deepEqual(typeof served === "number" ? served : served.urlRoute?.kwargs, {
            value,
          });
        },
      ),
      fuzzRuns(300),
    );
  });

  test("path captures any non-empty rest of the path, slashes included", async () => {
    // Like Django's ".+", a line break stops a path converter: such a path is a 404.
    const text = fc
      .string({ unit: "grapheme", minLength: 1 })
      .filter((t) => !/[\n\r\u2028\u2029]/.test(t));
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 4 }), async (parts) => {
        const value = parts.join("/");
        const served = await serve(`/p/${parts.map(segment).join("/")}`);
        assert.deepEqual(typeof served === "number" ? served : served.urlRoute?.kwargs, { value });
      }),
      fuzzRuns(200),
    );
  });
});
