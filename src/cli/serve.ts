import { parseArgs } from "node:util";
import type { ParseArgsConfig } from "node:util";
import { SwitchboardError } from "../errors.js";
import { serve as serveApplication } from "../server/index.js";
import { loadApplication, loadServeOptions } from "./load-application.js";

const USAGE = "Usage: switchboard serve <module> [--host HOST] [--port PORT]";

const OPTIONS = {
  host: { type: "string" },
  port: { type: "string" },
  help: { type: "boolean", short: "h" },
} satisfies ParseArgsConfig["options"];

/**
 * `switchboard serve <module> [--host H] [--port P]`: imports the module (TypeScript works), serves
 * its `application` export (with its `serveOptions` export, if any), prints the URL, and on SIGTERM or SIGINT shuts down gracefully and
 * resolves 0. Host and port default to `$HOST` and `$PORT`, then 127.0.0.1:8000. Usage errors
 * resolve 2, a module that cannot be served 1.
 *
 * @example
 * ```sh
 * PORT=8080 switchboard serve examples/echo/app.ts
 * ```
 */
export async function serve(args: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`serve takes exactly one module to serve.\n${USAGE}`);
    return 2;
  }
  const host = values.host ?? process.env.HOST ?? "127.0.0.1";
  const portText = values.port ?? process.env.PORT ?? "8000";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    console.error(`Port "${portText}" is not a number from 0 to 65535.\n${USAGE}`);
    return 2;
  }

  const modulePath = positionals[0] as string;
  const application = await loadApplication(modulePath);
  if (application === null) return 1;

  let server;
  try {
    server = await serveApplication(application, {
      ...(await loadServeOptions(modulePath)),
      host,
      port,
    });
  } catch (error) {
    // A SwitchboardError is the module's serveOptions, not the address: it says so itself.
    if (error instanceof SwitchboardError) throw error;
    console.error(`Cannot listen on ${host}:${port}: ${(error as Error).message}`);
    return 1;
  }
  console.log(`Switchboard serving ${modulePath} at ${server.url}/ (Ctrl+C to stop)`);

  const signal = await new Promise<NodeJS.Signals>((resolveSignal) => {
    process.once("SIGTERM", resolveSignal);
    process.once("SIGINT", resolveSignal);
  });
  // a second signal means "now": skip the graceful wait
  const force = () => process.exit(1);
  process.once("SIGTERM", force);
  process.once("SIGINT", force);
  console.log(`${signal} received: closing connections, waiting for applications to finish.`);
  await server.close();
  console.log("Stopped.");
  return 0;
}
