#!/usr/bin/env node
// The CLI loads users' TypeScript modules, so tsx is registered first. "#cli" is the compiled
// CLI in dist/, or its TypeScript source under `--conditions=switchboard-source` (this repository's
// own scripts and tests).
import { register } from "tsx/esm/api";

register();
const { main } = await import("#cli");
// Exit explicitly: a served module may hold pools or timers that would keep the process alive
// after the command is done.
process.exit(await main(process.argv.slice(2)));
