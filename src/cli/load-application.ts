import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ImproperlyConfigured, SwitchboardError } from "../errors.js";
import type { ServeOptions } from "../server/index.js";
import type { Application } from "../types/asgi.js";

/**
 * Imports a module given on the command line (TypeScript works) and returns its `application`
 * export, or `null` after printing why it cannot be used. A module that cannot be imported throws
 * {@link ImproperlyConfigured} saying why and what to do (its `cause` is the import's error).
 *
 * @example
 * ```ts
 * const application = await loadApplication("./app.ts");
 * if (application === null) return 1;
 * ```
 */
export async function loadApplication(modulePath: string): Promise<Application | null> {
  let module: { application?: unknown };
  try {
    module = (await import(pathToFileURL(resolve(modulePath)).href)) as { application?: unknown };
  } catch (error) {
    throw new ImproperlyConfigured(`Cannot load ${modulePath}: ${whyNotLoaded(error)}`, {
      cause: error,
    });
  }
  if (typeof module.application !== "function") {
    const found = module.application === undefined ? "none" : typeof module.application;
    console.error(
      `${modulePath} has no "application" function export (found: ${found}); add \`export const application = ...\`.`,
    );
    return null;
  }
  return module.application as Application;
}

/**
 * The module's optional `serveOptions` export (limits, allowed hosts, ...), for `switchboard
 * serve`; `{}` when it has none. The module was imported by {@link loadApplication} already.
 *
 * @example
 * ```ts
 * const options = await loadServeOptions("./app.ts");
 * await serve(application, { ...options, port: 8000 });
 * ```
 */
export async function loadServeOptions(modulePath: string): Promise<ServeOptions> {
  const module = (await import(pathToFileURL(resolve(modulePath)).href)) as {
    serveOptions?: ServeOptions;
  };
  return module.serveOptions ?? {};
}

/** What to do about an import that failed, for the messages the CLI prints without a stack. */
function whyNotLoaded(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === "ERR_MODULE_NOT_FOUND") {
    return `${(error as Error).message}. Check the path (relative to the current directory) and that the module's imports are installed.`;
  }
  // Without "type": "module" Node loads app.ts as CommonJS, which then require()s itself as ESM.
  if (code === "ERR_REQUIRE_CYCLE_MODULE" || code === "ERR_REQUIRE_ESM") {
    return 'it is an ES module in a CommonJS package: add "type": "module" to your package.json.';
  }
  if (error instanceof SwitchboardError) return error.message;
  return `${String(error)} (run with --verbose for the stack).`;
}
