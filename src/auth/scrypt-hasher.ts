import { scrypt } from "node:crypto";
import { ImproperlyConfigured } from "../errors.js";
import { constantTimeEqual } from "./constant-time-equal.js";
import { checkSalt, type PasswordHasher } from "./password-hasher.js";
import { randomString } from "./random-string.js";

/** Cost parameters of {@link ScryptHasher}. */
export interface ScryptOptions {
  /** CPU/memory cost, a power of two. Default 2^15 (32 MiB with `r = 8`). */
  N?: number;
  /** Block size. Default 8. */
  r?: number;
  /** Parallelism. Default 1. */
  p?: number;
  /** Derived key length in bytes. Default 64. */
  keyLength?: number;
}

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

const ENCODED = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([^$]+)\$([A-Za-z0-9+/]+={0,2})$/;
/** Django's `ScryptPasswordHasher`: `scrypt$<N>$<salt>$<r>$<p>$<hash>`, read so imports verify. */
const DJANGO_ENCODED = /^scrypt\$(\d+)\$([^$]+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/]+={0,2})$/;

function validParams({ N, r, p }: ScryptParams): boolean {
  return N > 1 && (N & (N - 1)) === 0 && N <= 2 ** 24 && r >= 1 && r <= 64 && p >= 1 && p <= 64;
}

interface Parsed {
  params: ScryptParams;
  salt: string;
  hash: Buffer;
  /** Made by Django: verifies, but is always re-encoded in this hasher's format. */
  django: boolean;
}

function parse(encoded: string): Parsed | null {
  const own = ENCODED.exec(encoded);
  const django = own === null ? DJANGO_ENCODED.exec(encoded) : null;
  // Both formats carry the same five fields, in a different order.
  const fields = own
    ? { N: own[1], r: own[2], p: own[3], salt: own[4], hash: own[5] }
    : django
      ? { N: django[1], salt: django[2], r: django[3], p: django[4], hash: django[5] }
      : null;
  if (fields === null) return null;
  const params = { N: Number(fields.N), r: Number(fields.r), p: Number(fields.p) };
  const hash = Buffer.from(fields.hash ?? "", "base64");
  if (!validParams(params) || hash.length < 16) return null;
  return { params, salt: fields.salt ?? "", hash, django: own === null };
}

function derive(password: string, salt: string, params: ScryptParams, keyLength: number) {
  // Node refuses when 128·N·r exceeds maxmem (32 MiB by default); give it twice what it needs.
  const maxmem = 256 * params.N * params.r;
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password, salt, keyLength, { ...params, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * The default hasher: scrypt, memory-hard, run on libuv's thread pool. Encodes as
 * `scrypt$N=32768,r=8,p=1$<salt>$<base64 hash>`; the parameters travel with each hash, so
 * raising them later still verifies old hashes and `mustUpdate` flags them for a rehash. Django's
 * own scrypt encoding (`scrypt$16384$<salt>$8$5$<hash>`) verifies too, and is flagged for a rehash.
 *
 * @example
 * ```ts
 * const hasher = new ScryptHasher({ N: 2 ** 16 });
 * const encoded = await hasher.encode("s3cret"); // "scrypt$N=65536,r=8,p=1$...$..."
 * ```
 */
export class ScryptHasher implements PasswordHasher {
  readonly algorithm = "scrypt";
  readonly #params: ScryptParams;
  readonly #keyLength: number;

  constructor(options: ScryptOptions = {}) {
    this.#params = { N: options.N ?? 2 ** 15, r: options.r ?? 8, p: options.p ?? 1 };
    this.#keyLength = options.keyLength ?? 64;
    if (!validParams(this.#params) || !(this.#keyLength >= 16 && this.#keyLength <= 1024)) {
      throw new ImproperlyConfigured(
        `ScryptHasher options ${JSON.stringify(options)} are out of range: N must be a power of two up to 2^24, r and p 1..64, keyLength 16..1024.`,
      );
    }
  }

  async encode(password: string, salt: string = randomString(22)): Promise<string> {
    checkSalt(salt);
    const { N, r, p } = this.#params;
    const key = await derive(password, salt, this.#params, this.#keyLength);
    return `scrypt$N=${N},r=${r},p=${p}$${salt}$${key.toString("base64")}`;
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    const parsed = parse(encoded);
    if (parsed === null) return false;
    const actual = await derive(password, parsed.salt, parsed.params, parsed.hash.length);
    return constantTimeEqual(actual, parsed.hash);
  }

  mustUpdate(encoded: string): boolean {
    const parsed = parse(encoded);
    if (parsed === null) return true;
    const { N, r, p } = this.#params;
    return (
      parsed.django ||
      parsed.params.N !== N ||
      parsed.params.r !== r ||
      parsed.params.p !== p ||
      parsed.hash.length !== this.#keyLength
    );
  }
}
