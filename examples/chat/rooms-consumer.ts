import { roomsPage } from "./pages.js";
import { isRoomName } from "./room-store.js";
import { SignedInPageConsumer } from "./signed-in-page-consumer.js";

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
