/**
 * The trailing options argument of a communicator: it may be left out only when every option is
 * optional, so fields the application's scope type adds (`user`, `session`, ...) must be given,
 * as middleware would add them.
 *
 * TypeScript infers the scope type from the application argument, except when that argument is
 * a generic call written inline (`X.asApp()`) and the options carry extras: then name the scope
 * type (`new WebsocketCommunicator<UserScope>(X.asApp(), ...)`) or assign the application to a
 * `const` first.
 */
export type OptionalWhenEmpty<O> = Partial<O> extends O ? [options?: O] : [options: O];
