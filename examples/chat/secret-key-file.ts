import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { ImproperlyConfigured } from "switchboard";

const MIN_LENGTH = 32;

/** A fresh random secret key: 32 bytes from `node:crypto`, base64url (43 characters). */
export function newSecretKey(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * The secret kept in the file at `path`, generated with `node:crypto` and written (mode 0600)
 * the first time, so sessions signed with it survive restarts.
 *
 * Written to a temporary file and hard-linked into place: `link` fails if the file exists, so two
 * processes starting at once agree on one key, and neither can read a half-written file.
 */
export function loadOrCreateSecretKey(path: string): string {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, newSecretKey() + "\n", { mode: 0o600 });
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
  if ((statSync(path).mode & 0o077) !== 0) {
    console.warn(`Warning: ${path} holds the secret key but others can read it; chmod 600 it.`);
  }
  const key = readFileSync(path, "utf8").trim();
  if (key.length < MIN_LENGTH) {
    throw new ImproperlyConfigured(
      `${path} holds a secret key of ${key.length} characters; at least ${MIN_LENGTH} are needed. Delete it to have a new one generated.`,
    );
  }
  return key;
}
