#!/usr/bin/env node
// The CLI runs on TypeScript sources and loads users' TypeScript modules, so tsx is registered first.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
// Exit explicitly: a served module may hold pools or timers that would keep the process alive
// after the command is done.
process.exit(await main(process.argv.slice(2)));
