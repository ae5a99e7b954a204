/** A member of a room: its consumer's channel and its username. */
export interface RoomMember {
  channel: string;
  user: string;
}

interface LocalRoom {
  /** The room's members on this process: username by channel, in the order they entered. */
  members: Map<string, string>;
  /** The newcomers from other processes that this process has answered. */
  answered: Set<string>;
}

/**
 * This process's members of every room, shared by its chat consumers (`createChat` makes one per
 * application): what lets a process answer a newcomer's announcement once for all its members
 * (see `ChatConsumer`).
 *
 * @example
 * ```ts
 * const local = new LocalRoomMembers();
 * local.enter("lobby", { channel: "specific.a!1", user: "ada" }); // [ada]
 * local.answer("lobby", "specific.b!1"); // [ada]: the first to ask sends it
 * local.answer("lobby", "specific.b!1"); // null: answered already
 * ```
 */
export class LocalRoomMembers {
  readonly #rooms = new Map<string, LocalRoom>();

  /** Adds `member` to `room`; returns the room's members on this process, `member` included. */
  enter(room: string, member: RoomMember): RoomMember[] {
    let local = this.#rooms.get(room);
    if (local === undefined) {
      local = { members: new Map(), answered: new Set() };
      this.#rooms.set(room, local);
    }
    local.members.set(member.channel, member.user);
    return roster(local);
  }

  /** Removes the member on `channel` from `room`; the room goes with its last member here. */
  leave(room: string, channel: string): void {
    const local = this.#rooms.get(room);
    if (local?.members.delete(channel) && local.members.size === 0) this.#rooms.delete(room);
  }

  /**
   * What to answer the announcement of the newcomer on `channel` with: this process's members of
   * `room`, to the first of them that asks. `null` to the others, and when the newcomer is on
   * this process (it found them all on entering).
   */
  answer(room: string, channel: string): RoomMember[] | null {
    const local = this.#rooms.get(room);
    if (local === undefined || local.members.has(channel) || local.answered.has(channel)) {
      return null;
    }
    local.answered.add(channel);
    return roster(local);
  }

  /**
   * The member on `channel` left `room`: its answer need not be remembered any longer. (A member
   * that handles its announcement only now answers again, to a channel nobody reads: harmless.)
   */
  forgetAnswered(room: string, channel: string): void {
    this.#rooms.get(room)?.answered.delete(channel);
  }
}

function roster({ members }: LocalRoom): RoomMember[] {
  return Array.from(members, ([channel, user]) => ({ channel, user }));
}
