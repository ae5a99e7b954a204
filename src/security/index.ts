export {
  allowedHostsOriginValidator,
  originValidator,
  sameOriginValidator,
} from "./origin-validator.js";
export type { OriginValidatorOptions } from "./origin-validator.js";
