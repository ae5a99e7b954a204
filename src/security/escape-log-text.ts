// C0 and C1 controls, DEL, the backslash (so an escape cannot be forged either) and the Unicode
// line and paragraph separators some log viewers break lines on
const UNSAFE = /[\x00-\x1f\x7f-\x9f\\\u2028\u2029]/g;

const NAMED: Readonly<Record<string, string>> = {
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\\": "\\\\",
};

function escapeCharacter(character: string): string {
  const named = NAMED[character];
  if (named !== undefined) return named;
  const code = character.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * A client-controlled string (path, `Host`, `Origin`, `User-Agent`) made safe for a one-line
 * log: control characters become `\n`, `\r`, `\t` or `\xNN` escapes and a backslash is doubled,
 * so a request cannot end the line it is logged on, forge another, or send terminal escapes.
 *
 * @example
 * ```ts
 * escapeLogText("/whoami/\nPOST /login/ 200 1.0ms"); // "/whoami/\\nPOST /login/ 200 1.0ms"
 * ```
 */
export function escapeLogText(text: string): string {
  return text.replace(UNSAFE, escapeCharacter);
}
