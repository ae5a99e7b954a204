/**
 * Authentication: password hashing, backends, `authMiddleware` / `authMiddlewareStack`,
 * `login` / `logout` / `getUser`, and signed tokens for non-browser clients.
 * @module
 */
export type { AuthBackend, Credentials } from "./auth-backend.js";
export type { AuthOptions } from "./auth-config.js";
export { AuthSignals } from "./auth-signals.js";
export type { UserLoggedIn, UserLoggedOut, UserLoginFailed } from "./auth-signals.js";
export { authMiddlewareStack } from "./auth-middleware-stack.js";
export type { AuthMiddlewareStackOptions, AuthScope } from "./auth-middleware-stack.js";
export { authMiddleware } from "./auth-middleware.js";
export type { UserScope } from "./auth-middleware.js";
export { deactivateUser, deleteUser, setPassword } from "./credential-changes.js";
export type { SetPasswordOptions } from "./credential-changes.js";
export { createToken, verifyToken } from "./auth-token.js";
export type { CreateTokenOptions, TokenClaims } from "./auth-token.js";
export { authenticate } from "./authenticate.js";
export { getUser } from "./get-user.js";
export { login } from "./login.js";
export type { LoginScope } from "./login.js";
export { logout } from "./logout.js";
export { logoutEverywhere } from "./logout-everywhere.js";
export { ModelBackend } from "./model-backend.js";
export type { ModelBackendOptions } from "./model-backend.js";
export type { PasswordHasher } from "./password-hasher.js";
export { Passwords } from "./passwords.js";
export type { PasswordsOptions } from "./passwords.js";
export { Pbkdf2Sha256Hasher } from "./pbkdf2-sha256-hasher.js";
export type { Pbkdf2Sha256Options } from "./pbkdf2-sha256-hasher.js";
export { ScryptHasher } from "./scrypt-hasher.js";
export type { ScryptOptions } from "./scrypt-hasher.js";
export { sessionAuthHash } from "./session-auth-hash.js";
export { Signal } from "./signal.js";
export type { Receiver } from "./signal.js";
export { BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY } from "./session-keys.js";
export { tokenAuthMiddleware } from "./token-auth-middleware.js";
export type { TokenAuthOptions } from "./token-auth-middleware.js";
export { sessionHandoff } from "./session-handoff.js";
export type { SessionHandoffOptions } from "./session-handoff.js";
export { sessionHandoffApp } from "./session-handoff-app.js";
export type { SessionHandoffAppOptions } from "./session-handoff-app.js";
export { ticketAuthMiddleware } from "./ticket-auth-middleware.js";
export type { TicketAuthOptions } from "./ticket-auth-middleware.js";
export { wsTicketApp } from "./ws-ticket-app.js";
export type { WsTicketAppOptions } from "./ws-ticket-app.js";
export {
  commonPassword,
  defaultPasswordRules,
  minimumLength,
  numericPassword,
  usernameSimilarity,
  validatePassword,
} from "./password-rules.js";
export type { PasswordContext, PasswordRule, ValidatePasswordOptions } from "./password-rules.js";
export { COMMON_PASSWORDS } from "./common-passwords.js";
