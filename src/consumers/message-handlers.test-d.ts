import { expectType } from "../../test/support/expect-type.js";
import type { ChannelLayer } from "../layers/channel-layer.js";
import type { HandlerName, MessageHandlers } from "./handler-name.js";
import { WebsocketConsumer } from "./websocket-consumer.js";

// Handler names follow the dispatch rule: dots and underscores start a capital.
expectType<HandlerName<"chat.message">>("chatMessage");
expectType<HandlerName<"user.logged_in">>("userLoggedIn");
// @ts-expect-error -- the handler of "chat.message" is chatMessage
expectType<HandlerName<"chat.message">>("chat_message");

type ChatText = { type: "chat.message"; user: string; text: string };
type PresenceLeave = { type: "presence.leave"; channel: string };
type RoomMessage = ChatText | PresenceLeave;

// A consumer declaring its messages gets each handler's message typed.
export class Room extends WebsocketConsumer implements MessageHandlers<RoomMessage> {
  async chatMessage(message: ChatText) {
    expectType<string>(message.text);
    // @ts-expect-error -- a field the message does not have
    await this.send({ text: message.txt });
  }
  presenceLeave({ channel }: PresenceLeave) {
    expectType<string>(channel);
  }
}

// @ts-expect-error -- presenceLeave is missing
export class Forgetful extends WebsocketConsumer implements MessageHandlers<RoomMessage> {
  chatMessage(_message: ChatText) {}
}

export class Confused extends WebsocketConsumer implements MessageHandlers<RoomMessage> {
  // @ts-expect-error -- chatMessage handles chat messages, not presence ones
  chatMessage(_message: PresenceLeave) {}
  presenceLeave(_message: PresenceLeave) {}
}

export class Mistyped extends WebsocketConsumer implements MessageHandlers<RoomMessage> {
  // @ts-expect-error -- a chat message's text is a string
  chatMessage(_message: { type: "chat.message"; user: string; text: number }) {}
  presenceLeave(_message: PresenceLeave) {}
}

// groupSend and send check the message against the type they are given.
declare const layer: ChannelLayer;
await layer.groupSend<RoomMessage>("room", { type: "chat.message", user: "ada", text: "hi" });
await layer.send<RoomMessage>("specific.x!1", { type: "presence.leave", channel: "specific.x!2" });
// @ts-expect-error -- a misspelt field
await layer.groupSend<RoomMessage>("room", { type: "chat.message", user: "ada", txt: "hi" });
// @ts-expect-error -- a field of the wrong type
await layer.groupSend<RoomMessage>("room", { type: "chat.message", user: "ada", text: 42 });
// @ts-expect-error -- a type no room consumer handles
await layer.groupSend<RoomMessage>("room", { type: "chat.typing", user: "ada" });
// @ts-expect-error -- a field missing
await layer.send<RoomMessage>("specific.x!1", { type: "presence.leave" });
// Without a type argument any message with a string type goes, as before.
await layer.groupSend("room", { type: "anything", n: 1 });
