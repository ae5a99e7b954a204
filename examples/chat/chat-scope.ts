import type {
  Application,
  AuthScope,
  CsrfScope,
  HttpScope,
  Passwords,
  UserStore,
  WebsocketScope,
} from "switchboard";
import type { RoomStore } from "./room-store.js";

/** The demo's stores and auth setup, which its HTTP consumers find on `scope.chat`. */
export interface ChatServices {
  users: UserStore;
  rooms: RoomStore;
  passwords: Passwords;
}

/** What a page consumer finds on its scope: auth, the CSRF token and the services. */
export type PageScope = HttpScope & AuthScope & CsrfScope & { chat: ChatServices };

/**
 * Puts `services` on `scope.chat`. Consumers are built by `asApp()` with no arguments, so the
 * scope is how they reach what the application was configured with.
 */
export const provideServices =
  (services: ChatServices) =>
  <S extends HttpScope | WebsocketScope>(
    inner: Application<S & { chat: ChatServices }>,
  ): Application<S> =>
    async function chatServices(scope, receive, send) {
      return inner({ ...scope, chat: services }, receive, send);
    };
