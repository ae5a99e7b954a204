/**
 * The seed's `QueryAuthMiddleware`, in TypeScript, kept as a warning. INSECURE: it trusts a bare
 * user id from the query string, so anyone who edits `?id=` becomes that user, and a URL once
 * logged (proxies, browser history, Referer) logs that user in forever. Use
 * `tokenAuthMiddleware`, whose ids are signed with a server secret and expire.
 */
import type { UserScope } from "../../src/auth/auth-middleware.js";
import type { Application, WebsocketScope } from "../../src/types/asgi.js";
import { anonymousUser } from "../../src/users/anonymous-user.js";
import type { UserStore } from "../../src/users/user-store.js";

/** Seed: `User.objects.get(id=int(scope["query_string"]))`, then the inner app with that user. */
export const queryAuthMiddleware =
  (users: UserStore) =>
  <S extends WebsocketScope>(inner: Application<S & UserScope>): Application<S> =>
    async function queryAuth(scope, receive, send) {
      const id = Number(new URLSearchParams(scope.queryString).get("id"));
      const user = (await users.getById(id)) ?? anonymousUser;
      return inner(Object.assign({}, scope, { user }), receive, send);
    };
