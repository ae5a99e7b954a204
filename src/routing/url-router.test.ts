import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ImproperlyConfigured } from "../errors.js";
import {
  ApplicationCommunicator,
  HttpCommunicator,
  WebsocketCommunicator,
} from "../testing/index.js";
import type { Application, HttpScope, UrlRoute } from "../types/asgi.js";
import { path } from "./path.js";
import { rePath } from "./re-path.js";
import type { RoutableScope } from "./route.js";
import { urlRouter } from "./url-router.js";

interface Seen {
  app: string;
  urlRoute?: UrlRoute;
  rootPath: string;
}

/** An HTTP app that answers with its name and what the routers put on the scope. */
function reporter(name: string): Application<HttpScope> {
  return async function reporter(scope, _receive, send) {
    const seen: Seen = { app: name, urlRoute: scope.urlRoute, rootPath: scope.rootPath };
    await send({ type: "http.response.start", status: 200 });
    await send({ type: "http.response.body", body: Buffer.from(JSON.stringify(seen)) });
  };
}

async function get(app: Application<HttpScope>, target: string): Promise<Seen | number> {
  const response = await new HttpCommunicator(app, "GET", target).getResponse();
  return response.status === 200 ? (JSON.parse(response.body.toString()) as Seen) : response.status;
}

async function statusOf(app: Application<HttpScope>, target: string): Promise<number> {
  return (await new HttpCommunicator(app, "GET", target).getResponse()).status;
}

const quiet = { logger: () => {} };

describe("urlRouter", () => {
  test("matches path() routes against the path without its leading slash", async () => {
    const router = urlRouter(
      [path("", reporter("root")), path("foo/", reporter("foo")), rePath("bar", reporter("bar"))],
      quiet,
    );
    assert.equal(((await get(router, "/")) as Seen).app, "root");
    assert.equal(((await get(router, "/foo/")) as Seen).app, "foo");
    assert.equal(((await get(router, "/bar/baz/")) as Seen).app, "bar");
    assert.equal(await get(router, "/foo/extra/"), 404);
  });

  test("puts converted path() captures on scope.urlRoute.kwargs", async () => {
    const router = urlRouter(
      [path("rooms/<str:room>/<int:id>/", reporter("room")), path("author/<name>/", reporter("a"))],
      quiet,
    );
    assert.deepEqual(((await get(router, "/rooms/lobby/42/")) as Seen).urlRoute, {
      args: [],
      kwargs: { room: "lobby", id: 42 },
    });
    assert.deepEqual(((await get(router, "/author/andrew/")) as Seen).urlRoute?.kwargs, {
      name: "andrew",
    });
  });

  test("does not match bad ints, slugs or uuids, nor ints too large for a number", async () => {
    const router = urlRouter(
      [
        path("n/<int:n>/", reporter("int")),
        path("s/<slug:s>/", reporter("slug")),
        path("u/<uuid:u>/", reporter("uuid")),
      ],
      quiet,
    );
    assert.equal(await get(router, "/n/12a/"), 404);
    assert.equal(await get(router, "/n/-3/"), 404);
    assert.equal(await get(router, "/n/9007199254740993/"), 404);
    assert.equal(await get(router, "/s/not%20a%20slug/"), 404);
    assert.equal(await statusOf(router, "/u/6ba7b810-9dad-11d1-80b4-00c04fd430c8/"), 200);
    assert.equal(await get(router, "/u/6BA7B810-9DAD-11D1-80B4-00C04FD430C8/"), 404);
    assert.equal(await get(router, "/u/6ba7b810-9dad-11d1-80b4/"), 404);
    assert.deepEqual(((await get(router, "/s/my-post_2/")) as Seen).urlRoute?.kwargs, {
      s: "my-post_2",
    });
  });

  test("lets a path converter span slashes and str stop at one", async () => {
    const router = urlRouter(
      [path("files/<path:file>", reporter("path")), path("one/<str:x>", reporter("str"))],
      quiet,
    );
    assert.deepEqual(((await get(router, "/files/a/b/c.txt")) as Seen).urlRoute?.kwargs, {
      file: "a/b/c.txt",
    });
    assert.equal(await get(router, "/one/a/b"), 404);
  });

  test("matches the percent-decoded path", async () => {
    const router = urlRouter([path("rooms/<str:room>/", reporter("room"))], quiet);
    assert.deepEqual(((await get(router, "/rooms/caf%C3%A9%20au%20lait/")) as Seen).urlRoute, {
      args: [],
      kwargs: { room: "café au lait" },
    });
  });

  test("treats regex specials in path() literals as text", async () => {
    const router = urlRouter([path("a.b/", reporter("dot"))], quiet);
    assert.equal(((await get(router, "/a.b/")) as Seen).app, "dot");
    assert.equal(await get(router, "/axb/"), 404);
  });

  test("puts rePath positional groups in args and named groups in kwargs", async () => {
    const router = urlRouter(
      [
        rePath(/^front(end)\/$/, reporter("front")),
        rePath(/^posarg\/(\d+)\/$/, reporter("pos")),
        rePath(/^named\/(?<year>\d{4})\/(\d+)\/$/, reporter("named")),
        rePath(/^opt\/(?<a>x)?(?<b>y)?\/$/, reporter("optional")),
      ],
      quiet,
    );
    assert.deepEqual(((await get(router, "/frontend/")) as Seen).urlRoute, {
      args: ["end"],
      kwargs: {},
    });
    assert.deepEqual(((await get(router, "/posarg/123/")) as Seen).urlRoute?.args, ["123"]);
    // As in Django, a pattern with named groups passes only those.
    assert.deepEqual(((await get(router, "/named/2024/7/")) as Seen).urlRoute, {
      args: [],
      kwargs: { year: "2024" },
    });
    assert.deepEqual(((await get(router, "/opt/y/")) as Seen).urlRoute?.kwargs, { b: "y" });
  });

  test("ignores the global flag of a rePath regex, so matches do not alternate", async () => {
    const router = urlRouter([rePath(/^g\/$/g, reporter("g"))], quiet);
    assert.equal(await statusOf(router, "/g/"), 200);
    assert.equal(await statusOf(router, "/g/"), 200);
  });

  test("adds route kwargs to every match, over captured ones", async () => {
    const router = urlRouter(
      [path("d/<str:mode>/", reporter("d"), { kwargs: { mode: "forced", default: 42 } })],
      quiet,
    );
    assert.deepEqual(((await get(router, "/d/x/")) as Seen).urlRoute?.kwargs, {
      mode: "forced",
      default: 42,
    });
  });

  test("tries routes in order and takes the first match", async () => {
    const router = urlRouter(
      [path("a/<str:x>/", reporter("first")), path("a/b/", reporter("second"))],
      quiet,
    );
    assert.equal(((await get(router, "/a/b/")) as Seen).app, "first");
  });

  test("nested routers route the rest of the path and merge kwargs with the outer ones", async () => {
    const inner = urlRouter([
      rePath(/^book\/(?<book>[\w-]+)\/page\/(?<page>\d+)\/$/, reporter("book")),
      rePath(/^test\/(\d+)\/$/, reporter("test")),
    ]);
    const outer = urlRouter(
      [
        rePath(/^universe\/(?<universe>\d+)\/author\/(?<author>\w+)\//, inner),
        rePath(/^positional\/(\w+)\//, inner),
      ],
      quiet,
    );
    const seen = (await get(
      outer,
      "/universe/42/author/andrew/book/channels-guide/page/10/",
    )) as Seen;
    assert.deepEqual(seen.urlRoute, {
      args: [],
      kwargs: { universe: "42", author: "andrew", book: "channels-guide", page: "10" },
    });
    assert.equal(seen.rootPath, "/universe/42/author/andrew/book/channels-guide/page/10");
    assert.deepEqual(((await get(outer, "/positional/foo/test/3/")) as Seen).urlRoute, {
      args: ["foo", "3"],
      kwargs: {},
    });
  });

  test("nested path() routes consume their prefix, int kwargs converted at each level", async () => {
    const leaf = reporter("leaf");
    let innerRootPath = "";
    const inner = urlRouter([path("test/<int:page>/", leaf)]);
    const spy: Application<HttpScope> = async (scope, receive, send) => {
      innerRootPath = scope.rootPath;
      return inner(scope, receive, send);
    };
    const outer = urlRouter(
      [path("number/<int:number>/", inner), path("wrapped/<int:number>/", spy, { nested: true })],
      quiet,
    );
    assert.deepEqual(((await get(outer, "/number/42/test/3/")) as Seen).urlRoute, {
      args: [],
      kwargs: { number: 42, page: 3 },
    });
    assert.deepEqual(((await get(outer, "/wrapped/7/test/3/")) as Seen).urlRoute?.kwargs, {
      number: 7,
      page: 3,
    });
    assert.equal(innerRootPath, "/wrapped/7");
    assert.equal(await get(outer, "/number/42/test/3/bla/"), 404);
    assert.equal(await get(outer, "/number/42/blub/"), 404);
  });

  test("goes on with the outer router's next route when a nested router matches nothing", async () => {
    const inner = urlRouter([path("no-match/", reporter("inner"))]);
    const outer = urlRouter([path("prefix/", inner), path("prefix/stuff/", reporter("stuff"))]);
    const outermost = urlRouter([path("", outer)], quiet);
    assert.equal(((await get(outermost, "/prefix/stuff/")) as Seen).app, "stuff");
    assert.equal(((await get(outermost, "/prefix/no-match/")) as Seen).app, "inner");
  });

  test("routes the path after a rootPath set by the server or an outer mount", async () => {
    const router = urlRouter([path("", reporter("root")), path("foo/", reporter("foo"))], quiet);
    const mounted = (target: string) =>
      new HttpCommunicator(router, "GET", target, "", {}, { rootPath: "/root" }).getResponse();
    assert.equal(JSON.parse((await mounted("/root/foo/")).body.toString()).app, "foo");
    assert.equal(JSON.parse((await mounted("/root/")).body.toString()).app, "root");
    assert.equal((await mounted("/")).status, 404);
    assert.equal((await mounted("/root/root/foo/")).status, 404);
  });

  test("answers HTTP 404 and logs the path when no route matches", async () => {
    const lines: string[] = [];
    const router = urlRouter([path("foo/", reporter("foo"))], { logger: (l) => lines.push(l) });
    const response = await new HttpCommunicator(router, "GET", "/nonexistent/?q=1").getResponse();
    assert.equal(response.status, 404);
    assert.equal(response.body.toString(), "Not Found");
    assert.equal(lines.length, 1);
    assert.match(lines[0], /No route found for path "\/nonexistent\/"/);
  });

  test("refuses the WebSocket handshake when no route matches", async () => {
    const lines: string[] = [];
    const accepted: Application<RoutableScope> = async (_scope, receive, send) => {
      await receive();
      await send({ type: "websocket.accept" });
    };
    const router = urlRouter([path("chat/", accepted)], { logger: (l) => lines.push(l) });
    const communicator = new WebsocketCommunicator(router, "/nowhere/");
    const result = await communicator.connect();
    assert.equal(result.connected, false);
    await communicator.wait();
    assert.match(lines[0], /"\/nowhere\/"/);
    const ok = new WebsocketCommunicator(router, "/chat/");
    assert.equal((await ok.connect()).connected, true);
  });

  test("rethrows what the matched application throws", async () => {
    const failing: Application<HttpScope> = async () => {
      throw new TypeError("boom");
    };
    const router = urlRouter([path("x/", failing)], quiet);
    await assert.rejects(new HttpCommunicator(router, "GET", "/x/").getResponse(), TypeError);
  });

  test("throws ImproperlyConfigured for a channel scope, which has no path", async () => {
    const router = urlRouter([path("x/", reporter("x"))], quiet) as unknown as Application;
    const communicator = new ApplicationCommunicator(router, { type: "channel", channel: "jobs" });
    await assert.rejects(communicator.wait(), (error: unknown) => {
      assert.ok(error instanceof ImproperlyConfigured);
      assert.match(error.message, /"channel" scope has no path/);
      return true;
    });
  });

  test("throws ImproperlyConfigured for a route with an unknown converter or a bad name", () => {
    assert.throws(() => path("a/<float:x>/", reporter("x")), ImproperlyConfigured);
    assert.throws(() => path("a/<int:x-y>/", reporter("x")), ImproperlyConfigured);
    assert.throws(() => path("a/<int:x>/<str:x>/", reporter("x")), ImproperlyConfigured);
    assert.throws(() => path("a/<int:x/", reporter("x")), /unmatched "<"/);
    assert.throws(() => path("a/<toString:x>/", reporter("x")), /unknown path converter/);
  });
});
