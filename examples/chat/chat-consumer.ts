import {
  ChannelFull,
  ImproperlyConfigured,
  InvalidFrame,
  JsonWebsocketConsumer,
  type AuthScope,
  type Application,
  type ChannelLayer,
  type MessageHandlers,
  type PathKwargs,
  type RoutedScope,
  type WebsocketBroadcast,
  type WebsocketFrame,
  type WebsocketScope,
} from "switchboard";
import type { LocalRoomMembers, RoomMember } from "./local-room-members.js";
import { RoomPresence } from "./room-presence.js";
import { isRoomName, roomFrameGroup, roomGroup } from "./room-store.js";

/**
 * JSON frames from the server, `{type: "message", user, text}` and `{type: "presence", users}`;
 * plain text frames from the client. Without a subprotocol a client gets the raw text relay.
 */
export const CHAT_SUBPROTOCOL = "switchboard.chat.v1";

/**
 * The room page's subprotocol: as {@link CHAT_SUBPROTOCOL}, and the client sends JSON too,
 * `{type: "message", text, ref}`; each is acknowledged with `{type: "ack", ref}` once the room
 * has it (what `request()` of `switchboard/client` waits for).
 */
export const CHAT_SUBPROTOCOL_V2 = "switchboard.chat.v2";

/** A member's message, as a {@link CHAT_SUBPROTOCOL_V2} client sends it. */
interface ChatPost {
  type: "message";
  text: string;
}

function isChatPost(content: unknown): content is ChatPost {
  const post = content as Partial<ChatPost> | null;
  return post?.type === "message" && typeof post.text === "string";
}

/** A newcomer announcing itself, with its own channel to answer on. */
type PresenceJoin = { type: "presence.join"; channel: string; user: string };
/** One process's members of the room, its answer to an announcement, on the newcomer's channel. */
type PresenceRoster = { type: "presence.roster"; members: RoomMember[] };
/** A member leaving the room. */
type PresenceLeave = { type: "presence.leave"; channel: string };

/** What the members of a room send one another through the channel layer. */
export type RoomMessage = PresenceJoin | PresenceRoster | PresenceLeave;

/** The route this consumer is served on, with its `room` kwarg. */
export const CHAT_ROUTE = "ws/chat/<str:room>/";
type SocketScope = RoutedScope<WebsocketScope & AuthScope, PathKwargs<typeof CHAT_ROUTE>>;
type ChatScope = SocketScope & { roomMembers: LocalRoomMembers };

/** Puts this process's {@link LocalRoomMembers} on the scope, where `ChatConsumer` finds them. */
export const provideRoomMembers =
  (roomMembers: LocalRoomMembers) =>
  (inner: Application<ChatScope>): Application<SocketScope> =>
    async function chatRoomMembers(scope, receive, send) {
      return inner({ ...scope, roomMembers }, receive, send);
    };

interface Membership {
  layer: ChannelLayer;
  room: string;
  /** The room's group: every member, for presence. */
  group: string;
  /** The group of the members that get the same frames as this one (JSON or raw text). */
  frames: string;
  channel: string;
  username: string;
}

/**
 * `/ws/chat/<room>/`: a room's members, in one channel-layer group on every process. Every text
 * frame a member sends reaches every member, sender included.
 *
 * Presence needs no shared store, and a newcomer gets one answer per process, not one per member
 * (hundreds of answers at once would overflow its channel, which holds 100). Each process keeps
 * its members of every room in {@link LocalRoomMembers}: a newcomer takes its own process's from
 * there, then announces itself to the room's group, and on every other process the first member
 * to handle the announcement answers for all of them with a `presence.roster`. Whichever member
 * comes first answers, rather than one chosen in advance, which could leave with the announcement
 * unread; a member entering meanwhile announces itself. A leaving member leaves the registry
 * before it announces that it leaves, so a roster listing it reaches the newcomer before that
 * announcement (a process's messages to a channel arrive in the order it sends them).
 *
 * A text goes out as two `websocket.broadcast` messages, one per kind of client (JSON for the
 * pages, the raw text otherwise), each to the group of the members of that kind: every member of
 * a group sends the same frame, so the server makes it once per process for all of them.
 */
export class ChatConsumer
  extends JsonWebsocketConsumer<ChatScope>
  implements MessageHandlers<RoomMessage>
{
  readonly #presence = new RoomPresence();
  #membership: Membership | null = null;
  /** The accepted subprotocol, `null` for the raw relay. */
  #protocol: string | null = null;

  override async connect(): Promise<void> {
    const { user, urlRoute, subprotocols } = this.scope;
    const { room } = urlRoute.kwargs;
    if (!user.isAuthenticated || !isRoomName(room)) return this.close();
    const { channelLayer: layer, channelName: channel } = this;
    if (layer === null || channel === null) {
      throw new ImproperlyConfigured(
        "The chat needs a channel layer: call setChannelLayer(layer).",
      );
    }
    this.#protocol =
      [CHAT_SUBPROTOCOL_V2, CHAT_SUBPROTOCOL].find((name) => subprotocols.includes(name)) ?? null;
    const membership = {
      layer,
      room,
      group: roomGroup(room),
      frames: roomFrameGroup(room, this.#protocol !== null),
      channel,
      username: user.username,
    };
    // In the groups before the announcement, so no message sent after it can miss this channel.
    await layer.groupAdd(membership.group, channel);
    await layer.groupAdd(membership.frames, channel);
    this.#membership = membership;
    // After the group add, so this member hears each member it finds here leave; before the
    // announcement, so any roster made without this member goes to a newcomer that will hear it.
    this.#presence.add(this.scope.roomMembers.enter(room, { channel, user: membership.username }));
    await this.accept(this.#protocol);
    await this.#sendPresence();
    await layer.groupSend<RoomMessage>(membership.group, {
      type: "presence.join",
      channel,
      user: membership.username,
    });
  }

  override async receive(frame: WebsocketFrame): Promise<void> {
    if (this.#protocol === CHAT_SUBPROTOCOL_V2) return super.receive(frame);
    if (frame.text === undefined) throw new InvalidFrame("The chat carries text frames only.");
    await this.#post(frame.text);
  }

  override async receiveJson(content: unknown): Promise<void> {
    if (!isChatPost(content)) {
      throw new InvalidFrame(
        `${CHAT_SUBPROTOCOL_V2} frames are {"type": "message", "text": "..."}.`,
      );
    }
    await this.#post(content.text);
    await this.reply(content, { type: "ack" });
  }

  /** A newcomer announced itself: note it, and tell it who is here if no member here did yet. */
  async presenceJoin(newcomer: PresenceJoin): Promise<void> {
    const { layer, room } = this.#joined();
    const members = this.scope.roomMembers.answer(room, newcomer.channel);
    if (members !== null) {
      try {
        await layer.send<RoomMessage>(newcomer.channel, { type: "presence.roster", members });
      } catch (error) {
        // A newcomer too far behind to take the roster misses this process's names until they
        // next change; failing here would close this member's socket for the newcomer's lag.
        if (!(error instanceof ChannelFull)) throw error;
      }
    }
    if (this.#presence.add([newcomer])) await this.#sendPresence();
  }

  /** A process answered our announcement. */
  async presenceRoster({ members }: PresenceRoster): Promise<void> {
    if (this.#presence.add(members)) await this.#sendPresence();
  }

  /** A member left the room. */
  async presenceLeave({ channel }: PresenceLeave): Promise<void> {
    this.scope.roomMembers.forgetAnswered(this.#joined().room, channel);
    if (this.#presence.remove(channel)) await this.#sendPresence();
  }

  protected override async teardown(): Promise<void> {
    await super.teardown();
    const membership = this.#membership;
    this.#membership = null;
    if (membership === null) return;
    const { layer, room, group, frames, channel } = membership;
    this.scope.roomMembers.leave(room, channel);
    await layer.groupDiscard(frames, channel);
    await layer.groupDiscard(group, channel);
    await layer.groupSend<RoomMessage>(group, { type: "presence.leave", channel });
  }

  #joined(): Membership {
    if (this.#membership === null) throw new Error("ChatConsumer got a message before joining.");
    return this.#membership;
  }

  async #sendPresence(): Promise<void> {
    if (this.#protocol === null) return;
    await this.sendJson({ type: "presence", users: this.#presence.usernames() });
  }

  /** A member's text, to every member of the room: as is to raw clients, as JSON with the sender's name to the pages. */
  async #post(text: string): Promise<void> {
    const { layer, room, username } = this.#joined();
    const json = JSON.stringify({ type: "message", user: username, text });
    await Promise.all([
      layer.groupSend<WebsocketBroadcast>(roomFrameGroup(room, true), {
        type: "websocket.broadcast",
        text: json,
      }),
      layer.groupSend<WebsocketBroadcast>(roomFrameGroup(room, false), {
        type: "websocket.broadcast",
        text,
      }),
    ]);
  }
}
