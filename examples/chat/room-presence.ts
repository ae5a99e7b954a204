import type { RoomMember } from "./local-room-members.js";

/**
 * Who is in a room, as one member's consumer sees it: every member channel it has heard of,
 * with its username. A user with two tabs open is two channels but one name in {@link usernames}.
 */
export class RoomPresence {
  readonly #members = new Map<string, string>();

  /** Records `members`; `false` when every one of them was known already. */
  add(members: readonly RoomMember[]): boolean {
    let changed = false;
    for (const { channel, user } of members) {
      changed ||= this.#members.get(channel) !== user;
      this.#members.set(channel, user);
    }
    return changed;
  }

  /** Forgets `channel`; `false` when it was not known. */
  remove(channel: string): boolean {
    return this.#members.delete(channel);
  }

  /** The distinct usernames present, sorted. */
  usernames(): string[] {
    return [...new Set(this.#members.values())].sort();
  }
}
