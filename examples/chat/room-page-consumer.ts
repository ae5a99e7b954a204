import type { PathKwargs, RoutedScope } from "switchboard";
import type { PageScope } from "./chat-scope.js";
import { roomPage } from "./pages.js";
import { isRoomName } from "./room-store.js";
import { SignedInPageConsumer } from "./signed-in-page-consumer.js";

/** The route of the room page, with its `room` kwarg. */
export const ROOM_PAGE_ROUTE = "chat/<str:room>/";

/** `/chat/<room>/`: the room; visiting it adds it to the room list. */
export class RoomPageConsumer extends SignedInPageConsumer<
  RoutedScope<PageScope, PathKwargs<typeof ROOM_PAGE_ROUTE>>
> {
  override async get(): Promise<void> {
    const user = await this.signedIn();
    if (user === null) return;
    const { room } = this.scope.urlRoute.kwargs;
    if (!isRoomName(room)) {
      await this.sendText(404, "There is no such room: names are letters, digits, - and _.\n");
      return;
    }
    await this.scope.chat.rooms.open(room, user.username);
    await this.sendHtml(200, roomPage(this.context(), room));
  }
}
