#!/usr/bin/env node
// The CLI runs on TypeScript sources and loads users' TypeScript modules, so tsx is registered first.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
