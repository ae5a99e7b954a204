export type { PasswordHasher } from "./password-hasher.js";
export { Passwords } from "./passwords.js";
export type { PasswordsOptions } from "./passwords.js";
export { Pbkdf2Sha256Hasher } from "./pbkdf2-sha256-hasher.js";
export type { Pbkdf2Sha256Options } from "./pbkdf2-sha256-hasher.js";
export { ScryptHasher } from "./scrypt-hasher.js";
export type { ScryptOptions } from "./scrypt-hasher.js";
