/**
 * The WebSocket frame of the last text a server broadcast (a `websocket.send` event marked
 * `shared`): consecutive sends of one broadcast write the same bytes instead of framing and
 * encoding the text again for every socket (docs/performance.md#frame-once-send-many). It holds
 * one frame, the last broadcast's, until the next one.
 */
export class SharedFrame {
  #text = "";
  #frame: Buffer | null = null;

  /** The frame of `text`: the one made last time when `text` is the same string. */
  of(text: string): Buffer {
    if (this.#frame === null || text !== this.#text) {
      this.#frame = textFrame(text);
      this.#text = text;
    }
    return this.#frame;
  }
}

/** A final, unmasked text frame (RFC 6455 §5.2), as a server sends it. */
function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81; // FIN, opcode 1 (text)
  if (header === 2) {
    frame[1] = length;
  } else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt16BE(0, 2);
    frame.writeUIntBE(length, 4, 6);
  }
  frame.write(text, header, "utf8");
  return frame;
}
