/**
 * How a `<converter:name>` segment of a {@link path} route matches and what value it yields.
 * `toValue` returns `undefined` when the text matches the regex but is still not acceptable, and
 * the route then does not match (Django's converters raise `ValueError` for that).
 */
export interface PathConverter {
  /** A regular expression source without capturing groups. */
  readonly regex: string;
  toValue(text: string): unknown;
}

const keepText = (text: string): string => text;

/** Django's built-in path converters; `str` is used when a segment names none. */
export const pathConverters: Readonly<Record<string, PathConverter>> = {
  str: { regex: "[^/]+", toValue: keepText },
  // Past 2^53 a number no longer holds the integer exactly; such a path does not match.
  int: {
    regex: "[0-9]+",
    toValue: (text) => {
      const value = Number(text);
      return Number.isSafeInteger(value) ? value : undefined;
    },
  },
  slug: { regex: "[-a-zA-Z0-9_]+", toValue: keepText },
  uuid: {
    regex: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    toValue: keepText,
  },
  path: { regex: ".+", toValue: keepText },
};
