export {
  allowedHostsOriginValidator,
  originValidator,
  sameOriginValidator,
} from "./origin-validator.js";
export type { OriginValidatorOptions, SameOriginValidatorOptions } from "./origin-validator.js";
export { csrfMiddleware } from "./csrf-middleware.js";
export type { CsrfOptions, CsrfScope } from "./csrf-middleware.js";
