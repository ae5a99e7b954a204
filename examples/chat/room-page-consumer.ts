import { roomPage } from "./pages.js";
import { isRoomName } from "./room-store.js";
import { SignedInPageConsumer } from "./signed-in-page-consumer.js";

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
