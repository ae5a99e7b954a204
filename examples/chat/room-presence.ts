/**
 * Who is in a room, as one member's consumer sees it: every member channel it has heard from,
 * with its username. A user with two tabs open is two channels but one name in {@link usernames}.
 */
export class RoomPresence {
  readonly #members = new Map<string, string>();

  /** Records `channel` as `username`'s; `false` when it was known already. */
  add(channel: string, username: string): boolean {
    const known = this.#members.get(channel) === username;
    this.#members.set(channel, username);
    return !known;
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
