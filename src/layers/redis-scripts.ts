/**
 * Lua run inside Redis by `RedisChannelLayer`, so each operation is one atomic round trip. Queued
 * entries are `"<expiresAtMs>:<json>"` in a list per channel; times come from Redis' clock, so
 * processes with skewed clocks agree on expiry.
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/** A script and its SHA1, computed once per process. */
export interface LuaScript {
  lua: string;
  sha: string;
}

/** Wraps `lua` with its SHA1, so `runScript` can call it by hash. */
export function script(lua: string): LuaScript {
  return { lua, sha: createHash("sha1").update(lua).digest("hex") };
}

/** Helpers every script shares: Redis time, expiry-aware trimming and pushing, wake-up topics. */
const PRELUDE = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function expires_at(entry)
  return tonumber(string.sub(entry, 1, string.find(entry, ':', 1, true) - 1))
end
local function drop_expired(key, now)
  while true do
    local head = redis.call('LINDEX', key, 0)
    if not head or expires_at(head) > now then return end
    redis.call('LPOP', key)
  end
end
local function push(key, json, now, expiry, capacity)
  -- Fan-out mostly finds empty lists: trim only when there is something to trim.
  local length = redis.call('LLEN', key)
  if length > 0 then
    drop_expired(key, now)
    length = redis.call('LLEN', key)
  end
  if length >= capacity then return false end
  redis.call('RPUSH', key, string.format('%d', now + expiry) .. ':' .. json)
  redis.call('PEXPIRE', key, expiry)
  return true
end
local function topic_of(channel)
  local bang = string.find(channel, '!', 1, true)
  if bang then return string.sub(channel, 1, bang) end
  return channel
end
`;

/** KEYS: list. ARGV: json, expiryMs, capacity, key prefix, channel. Returns 1, or 0 when full. */
export const SEND = script(`${PRELUDE}
local now = now_ms()
if not push(KEYS[1], ARGV[1], now, tonumber(ARGV[2]), tonumber(ARGV[3])) then return 0 end
redis.call('PUBLISH', ARGV[4] .. 'wake:' .. topic_of(ARGV[5]), ARGV[5])
return 1
`);

/**
 * KEYS: lists. Returns `[entries, lengths]`: per list, its oldest unexpired entry (popped) or nil,
 * and how many entries it still holds, so a receiver knows when a channel is empty without
 * popping again.
 */
export const POP_MANY = script(`${PRELUDE}
local now = now_ms()
local popped, lengths = {}, {}
for i, key in ipairs(KEYS) do
  popped[i] = false
  while true do
    local entry = redis.call('LPOP', key)
    if not entry then break end
    if expires_at(entry) > now then
      popped[i] = entry
      break
    end
  end
  lengths[i] = redis.call('LLEN', key)
end
return { popped, lengths }
`);

/** KEYS: list. ARGV: entry. Puts back an entry whose receiver went away, unless it expired. */
export const REQUEUE = script(`${PRELUDE}
local ttl = expires_at(ARGV[1]) - now_ms()
if ttl <= 0 then return 0 end
redis.call('LPUSH', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
`);

/**
 * KEYS: members zset, capacities hash. ARGV: channel, groupExpiryMs, capacity, default capacity.
 * Only capacities other than the default are stored, so groups without `channelCapacity`
 * overrides have no hash and `GROUP_SEND` reads no capacity per member.
 */
export const GROUP_ADD = script(`${PRELUDE}
local expiry = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now_ms() + expiry, ARGV[1])
redis.call('PEXPIRE', KEYS[1], expiry)
if ARGV[3] == ARGV[4] then
  redis.call('HDEL', KEYS[2], ARGV[1])
else
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
  redis.call('PEXPIRE', KEYS[2], expiry)
end
`);

/**
 * KEYS: members zset, capacities hash. ARGV: json, expiryMs, key prefix, default capacity.
 * Trims lapsed members, pushes to every live member with room, then publishes one wake-up per
 * topic (per process for process-local channels) listing its channels. Member channel keys are
 * derived inside the script, so this layer needs a single Redis, not a cluster.
 */
export const GROUP_SEND = script(`${PRELUDE}
local now = now_ms()
local expiry = tonumber(ARGV[2])
local prefix = ARGV[3]
local overrides = redis.call('EXISTS', KEYS[2]) == 1
local lapsed = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
if overrides then
  for _, channel in ipairs(lapsed) do redis.call('HDEL', KEYS[2], channel) end
end
if #lapsed > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now) end
local members = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
local default_capacity = tonumber(ARGV[4])
local wakes, topics = {}, {}
for _, channel in ipairs(members) do
  local capacity = default_capacity
  if overrides then capacity = tonumber(redis.call('HGET', KEYS[2], channel)) or capacity end
  if push(prefix .. 'ch:' .. channel, ARGV[1], now, expiry, capacity) then
    local topic = topic_of(channel)
    local list = wakes[topic]
    if not list then
      list = {}
      wakes[topic] = list
      topics[#topics + 1] = topic
    end
    list[#list + 1] = channel
  end
end
for _, topic in ipairs(topics) do
  redis.call('PUBLISH', prefix .. 'wake:' .. topic, table.concat(wakes[topic], '\\n'))
end
return #members
`);

/** Runs `script` by SHA, loading it on `NOSCRIPT` (first use, or after Redis restarted empty). */
export async function runScript(
  client: Redis,
  { lua, sha }: LuaScript,
  keys: string[],
  args: Array<string | number>,
): Promise<unknown> {
  try {
    return await client.evalsha(sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
    return await client.eval(lua, keys.length, ...keys, ...args);
  }
}
