/**
 * HTML that escapes by construction: every value interpolated into an {@link html} template is
 * escaped unless it is itself `Html` made by this module, so a page cannot forget to escape a
 * username, a room name or an error message.
 */

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Markup already escaped (or written by us): interpolating it into `html` leaves it as is. */
export class Html {
  readonly #markup: string;

  constructor(markup: string) {
    this.#markup = markup;
  }

  toString(): string {
    return this.#markup;
  }
}

/** `text` with the five HTML-special characters replaced by entities; safe in text and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof Html) return value.toString();
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/**
 * A template tag: literal parts are kept, interpolated values escaped; arrays are joined, and
 * `null`, `undefined` and `false` render as nothing so `${cond && html`...`}` works.
 *
 * @example
 * ```ts
 * html`<p>Hello ${username}</p>`; // username "<b>" renders as "&lt;b&gt;"
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let markup = strings[0] ?? "";
  values.forEach((value, i) => {
    markup += render(value) + (strings[i + 1] ?? "");
  });
  return new Html(markup);
}
