import { PasswordRejected } from "../errors.js";
import { COMMON_PASSWORDS } from "./common-passwords.js";

/** What a {@link PasswordRule} may compare the password with. */
export interface PasswordContext {
  username?: string;
}

/** One rule: a sentence saying what is wrong with the password, or `null` when it passes. */
export type PasswordRule = (password: string, context: PasswordContext) => string | null;

/** Options of {@link validatePassword}. */
export interface ValidatePasswordOptions extends PasswordContext {
  /** The rules to apply; {@link defaultPasswordRules} when omitted. */
  rules?: readonly PasswordRule[];
}

/**
 * Django's `MinimumLengthValidator`: at least `length` characters (8 by default).
 *
 * @example
 * ```ts
 * validatePassword(password, { rules: [minimumLength(12), commonPassword()] });
 * ```
 */
export function minimumLength(length = 8): PasswordRule {
  return function minimumLengthRule(password) {
    return password.length < length
      ? `The password is too short: use at least ${length} characters.`
      : null;
  };
}

/**
 * Django's `CommonPasswordValidator`: refuses the few hundred passwords people pick most often
 * (case-insensitive), or a list of your own.
 *
 * @example
 * ```ts
 * const rule = commonPassword([...COMMON_PASSWORDS, "switchboard"]);
 * ```
 */
export function commonPassword(list: Iterable<string> = COMMON_PASSWORDS): PasswordRule {
  const common = new Set([...list].map((password) => password.toLowerCase()));
  return function commonPasswordRule(password) {
    return common.has(password.trim().toLowerCase())
      ? "The password is one of the most common ones: choose one that is harder to guess."
      : null;
  };
}

/**
 * Django's `UserAttributeSimilarityValidator`, for the username (case-insensitive): refuses a
 * password that contains the username or one of its parts of 3 characters or more (`ada` in
 * `ada.lovelace`), or that is within a few edits of it (similarity `1 - edits / longer length` of
 * at least `maxSimilarity`, 0.7 as in Django).
 *
 * @example
 * ```ts
 * validatePassword("Lovelace!1815", { username: "ada.lovelace", rules: [usernameSimilarity()] });
 * // throws PasswordRejected
 * ```
 */
export function usernameSimilarity(maxSimilarity = 0.7): PasswordRule {
  return function usernameSimilarityRule(password, { username }) {
    if (username === undefined || username === "") return null;
    const lowerPassword = password.toLowerCase();
    const lowerUsername = username.toLowerCase();
    const parts = [lowerUsername, ...lowerUsername.split(/[\W_]+/)].filter(
      (part) => part.length >= 3,
    );
    const similar =
      parts.some((part) => lowerPassword.includes(part)) ||
      isSimilar(lowerPassword, lowerUsername, maxSimilarity);
    return similar ? "The password is too similar to the username." : null;
  };
}

/**
 * Whether `1 - Levenshtein distance / longer length` reaches `minimum`. The distance is at least
 * the difference in length, so strings of too different lengths are answered without comparing
 * them letter by letter.
 */
function isSimilar(a: string, b: string, minimum: number): boolean {
  const longer = Math.max(a.length, b.length, 1);
  if (Math.min(a.length, b.length) / longer < minimum) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return 1 - previous[b.length]! / longer >= minimum;
}

/**
 * Django's `NumericPasswordValidator`: refuses a password made only of digits.
 *
 * @example
 * ```ts
 * validatePassword("20240917", { rules: [numericPassword()] }); // throws PasswordRejected
 * ```
 */
export function numericPassword(): PasswordRule {
  return function numericPasswordRule(password) {
    return /^\d+$/.test(password)
      ? "The password is entirely numeric: add letters or symbols."
      : null;
  };
}

/**
 * Django's default validators: {@link usernameSimilarity}, {@link minimumLength} 8,
 * {@link commonPassword} and {@link numericPassword}.
 *
 * @example
 * ```ts
 * const rules = [...defaultPasswordRules(), minimumLength(12)];
 * ```
 */
export function defaultPasswordRules(): PasswordRule[] {
  return [usernameSimilarity(), minimumLength(), commonPassword(), numericPassword()];
}

/**
 * Checks a new password against `rules` (Django's defaults when omitted) and throws
 * `PasswordRejected` listing every rule it breaks. The `switchboard createuser` and
 * `changepassword` commands apply the defaults; call it wherever users choose a password.
 *
 * @example
 * ```ts
 * try {
 *   validatePassword(form.get("password") ?? "", { username });
 * } catch (error) {
 *   if (!(error instanceof PasswordRejected)) throw error;
 *   return showForm({ errors: error.problems });
 * }
 * ```
 */
export function validatePassword(password: string, options: ValidatePasswordOptions = {}): void {
  const { rules = defaultPasswordRules(), ...context } = options;
  const problems = rules
    .map((rule) => rule(password, context))
    .filter((problem): problem is string => problem !== null);
  if (problems.length > 0) throw new PasswordRejected(problems.join(" "), { problems });
}
