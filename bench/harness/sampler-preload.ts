/**
 * Preloaded (`--import`) into a server the harness runs as a command of its own (see
 * `ServerCommand`): the command runs unchanged, and this answers the harness's samples from
 * inside its process.
 */
import { answerSamples } from "./sampling.js";

answerSamples({ started: false });
