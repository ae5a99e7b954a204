export {
  allowedHostsOriginValidator,
  originValidator,
  sameOriginValidator,
} from "./origin-validator.js";
export type { OriginValidatorOptions, SameOriginValidatorOptions } from "./origin-validator.js";
export { csrfMiddleware, ROTATE_CSRF_TOKEN } from "./csrf-middleware.js";
export type { CsrfOptions, CsrfScope } from "./csrf-middleware.js";
export { escapeLogText } from "./escape-log-text.js";
