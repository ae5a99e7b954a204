/**
 * The trailing options argument of a communicator. `Extra` is what the application's scope type
 * adds beyond the base scope (`user`, `session`, ...), given under `scope`: the argument and its
 * `scope` may be left out only when every extra field is optional, so a test must provide what
 * middleware would.
 *
 * (`scope` is a property of its own rather than spread into the options because TypeScript then
 * infers the scope type from the application even when it is written inline as `X.asApp()`.)
 */
export type OptionsArg<Options, Extra> =
  Partial<Extra> extends Extra
    ? [options?: Options & { scope?: Extra }]
    : [options: Options & { scope: Extra }];
