import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ServeOptions } from "../server/index.js";
import type { Application } from "../types/asgi.js";

/**
 * Imports a module given on the command line (TypeScript works) and returns its `application`
 * export, or `null` after printing why it cannot be used.
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
    console.error(`Cannot load ${modulePath}:`, error);
    return null;
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
