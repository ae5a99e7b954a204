import type { User } from "../../src/index.js";
import { PageConsumer } from "./page-consumer.js";
import { roomPage, roomsPage } from "./pages.js";
import { isRoomName } from "./room-store.js";

/** Signed-in pages send anonymous visitors to the login form, which brings them back. */
abstract class SignedInPageConsumer extends PageConsumer {
  /** The signed-in user; else the visitor is sent to log in and `null` says the answer is sent. */
  protected async signedIn(): Promise<User | null> {
    const { user, path, queryString } = this.scope;
    if (user.isAuthenticated) return user;
    const here = path + (queryString ? `?${queryString}` : "");
    await this.sendResponse(302, "", [["location", `/login/?next=${encodeURIComponent(here)}`]]);
    return null;
  }
}

/** `/`: the room list; posting a name opens (creates or joins) that room. */
export class RoomsConsumer extends SignedInPageConsumer {
  override async get(): Promise<void> {
    if ((await this.signedIn()) === null) return;
    const rooms = await this.scope.chat.rooms.list();
    await this.sendHtml(200, roomsPage(this.context(), rooms, { name: "", error: null }));
  }

  override async post(form: URLSearchParams): Promise<void> {
    if ((await this.signedIn()) === null) return;
    const name = (form.get("name") ?? "").trim();
    if (isRoomName(name)) return this.redirect(`/chat/${name}/`);
    const rooms = await this.scope.chat.rooms.list();
    const error = "Room names are 1 to 40 letters, digits, - or _.";
    await this.sendHtml(400, roomsPage(this.context(), rooms, { name, error }));
  }
}

/** `/chat/<room>/`: the room; visiting it adds it to the room list. */
export class RoomPageConsumer extends SignedInPageConsumer {
  override async get(): Promise<void> {
    const user = await this.signedIn();
    if (user === null) return;
    const room = String(this.scope.urlRoute?.kwargs.room);
    if (!isRoomName(room)) {
      await this.sendText(404, "There is no such room: names are letters, digits, - and _.\n");
      return;
    }
    await this.scope.chat.rooms.open(room, user.username);
    await this.sendHtml(200, roomPage(this.context(), room));
  }
}
