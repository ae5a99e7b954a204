/**
 * The ChannelLayer contract: what every implementation must do, as Channels' layer tests define
 * it, in one file per area (`channel-layer-*.contract.ts`). `channel-layer.test.ts` runs it
 * against each layer; a new layer adds one entry there.
 */
import { describe, type TestContext } from "node:test";
import type { ChannelLayer } from "./channel-layer.js";
import type { ChannelLayerOptions } from "./channel-layer-options.js";
import { channelLayerCapacityContract } from "./channel-layer-capacity.contract.js";
import { channelLayerExpiryContract } from "./channel-layer-expiry.contract.js";
import { channelLayerGroupsContract } from "./channel-layer-groups.contract.js";
import { channelLayerMessagingContract } from "./channel-layer-messaging.contract.js";
import { channelLayerValidationContract } from "./channel-layer-validation.contract.js";

/** Makes a fresh, empty layer; the suite closes it (and flushes what it made) after each test. */
export type OpenLayer = (options?: ChannelLayerOptions) => Promise<ChannelLayer>;

/** Opens a layer for one test, which closes and flushes it when it ends. */
export type OpenTestLayer = (
  t: TestContext,
  options?: ChannelLayerOptions,
) => Promise<ChannelLayer>;

/**
 * Registers the contract tests for one layer under `describe(\`ChannelLayer contract: ${name}\`)`.
 *
 * @example
 * ```ts
 * channelLayerContract("memory", async (options) => new InMemoryChannelLayer(options));
 * ```
 */
export function channelLayerContract(
  name: string,
  openLayer: OpenLayer,
  skip: string | false = false,
): void {
  async function open(t: TestContext, options?: ChannelLayerOptions): Promise<ChannelLayer> {
    // Quiet by default: the tests that skip full channels would print their log line.
    const layer = await openLayer({ logger: () => {}, ...options });
    t.after(async () => {
      await layer.flush();
      await layer.close();
    });
    return layer;
  }

  describe(`ChannelLayer contract: ${name}`, { skip }, () => {
    channelLayerMessagingContract(open);
    channelLayerGroupsContract(open);
    channelLayerCapacityContract(open);
    channelLayerExpiryContract(open);
    channelLayerValidationContract(open);
  });
}
