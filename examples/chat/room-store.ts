import type { SqlDatabase } from "switchboard";

/** Room names: what fits a URL segment and a channel-layer group name (`chat.<room>`) as is. */
const ROOM_NAME = /^[A-Za-z0-9_-]{1,40}$/;

/** Whether `name` can name a room; tell the user "letters, digits, - and _, up to 40". */
export function isRoomName(name: string): boolean {
  return ROOM_NAME.test(name);
}

/** The channel-layer group of a room's members. */
export function roomGroup(room: string): string {
  return `chat.${room}`;
}

/**
 * The group of a room's members that get the same frames: the page's JSON (`json`) or the raw
 * text. A room name has no dot, so these never clash with another room's group.
 */
export function roomFrameGroup(room: string, json: boolean): string {
  return `chat.${room}.${json ? "json" : "text"}`;
}

/** A room as the room list shows it. */
export interface Room {
  name: string;
  createdBy: string;
}

interface RoomRow {
  name: string;
  created_by: string;
}

/**
 * The rooms anyone opened, in one SQL table, so the room list is the same whichever process
 * renders it. Who is in a room now is not stored: that is presence, carried by the channel layer.
 *
 * @example
 * ```ts
 * const rooms = new RoomStore(db);
 * await rooms.migrate();
 * await rooms.open("lobby", "ada");
 * ```
 */
export class RoomStore {
  readonly #db: SqlDatabase;

  constructor(db: SqlDatabase) {
    this.#db = db;
  }

  async migrate(): Promise<void> {
    await this.#db.execute(
      "CREATE TABLE IF NOT EXISTS chat_room (name TEXT PRIMARY KEY, created_by TEXT NOT NULL, created_at BIGINT NOT NULL)",
    );
  }

  /** Records the room unless it exists; the first opener is kept as its creator. */
  async open(name: string, username: string): Promise<void> {
    await this.#db.execute(
      "INSERT INTO chat_room (name, created_by, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
      [name, username, Date.now()],
    );
  }

  /** Every room, by name. */
  async list(): Promise<Room[]> {
    const rows = await this.#db.query<RoomRow>(
      "SELECT name, created_by FROM chat_room ORDER BY name",
    );
    return rows.map((row) => ({ name: row.name, createdBy: row.created_by }));
  }
}
