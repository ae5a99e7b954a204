import { ImproperlyConfigured } from "../errors.js";

/** Shorter secrets can be brute-forced offline from one signed value. */
export const MIN_SECRET_LENGTH = 32;

/**
 * Checks a signing secret once, when middleware is configured, and says how to make one.
 *
 * @example
 * ```ts
 * const secretKey = checkSecretKey(process.env.SWITCHBOARD_SECRET_KEY, "authMiddleware secretKey");
 * ```
 */
export function checkSecretKey(secret: string | undefined, option: string): string {
  if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) {
    throw new ImproperlyConfigured(
      `${option} must be a secret string of at least ${MIN_SECRET_LENGTH} characters; got ${
        typeof secret === "string" ? `${secret.length} characters` : String(secret)
      }. Generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`,
    );
  }
  return secret;
}

/**
 * Checks previous secrets kept for a rotation (as Django's `SECRET_KEY_FALLBACKS`) as
 * {@link checkSecretKey} checks the current one, naming the entry at fault.
 *
 * @example
 * ```ts
 * const fallbacks = checkSecretKeyFallbacks(options.secretKeyFallbacks, "authMiddleware's secretKeyFallbacks");
 * ```
 */
export function checkSecretKeyFallbacks(
  fallbacks: readonly string[] | undefined,
  option: string,
): string[] {
  return (fallbacks ?? []).map((fallback, index) =>
    checkSecretKey(fallback, `${option}[${index}]`),
  );
}
