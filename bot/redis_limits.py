"""Limits shared by a bot's processes, kept in Redis (with the REDIS_URL setting).

The same rules as ``storage.shared_limits`` (PostgreSQL), as Lua scripts run by redis-py:
Redis runs a script alone, start to end, so two processes never take the same slot, and
the script reads Redis's clock (``TIME``), so the processes' clocks need not agree. Keys
expire by themselves: a chat's next slot after its interval, a flood bucket after
``FORGET_AFTER``, an update id after a day.
"""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis

from storage.shared_limits import ChatRule, SlotAnswer

# KEYS: the bot's hash, the chat's key. ARGV: interval, chat interval, chat tolerance
# (how far a chat may run ahead of its schedule: a burst), horizon.
# Numbers go back as strings: Redis would cut a Lua number to an integer.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval, chat_interval = tonumber(ARGV[1]), tonumber(ARGV[2])
local tolerance, horizon = tonumber(ARGV[3]), tonumber(ARGV[4])
local g = redis.call('HMGET', KEYS[1], 'next_at', 'paused_until')
local g_next, g_pause = tonumber(g[1]) or 0, tonumber(g[2]) or 0
local c_next, c_free = 0, 0
if chat_interval > 0 then
  c_next = tonumber(redis.call('GET', KEYS[2])) or 0
  c_free = c_next - tolerance
  if c_free > now + horizon then return {0, tostring(c_free - now - horizon), 1, tostring(now)} end
end
local slot = math.max(now, g_next, g_pause, c_free)
if slot > now + horizon then return {0, tostring(slot - now - horizon), 0, tostring(now)} end
redis.call('HSET', KEYS[1], 'next_at', string.format('%.6f', slot + interval))
if chat_interval > 0 then
  local c_new = math.max(c_next, slot) + chat_interval
  local ttl = math.ceil((c_new - now) * 1000) + 1000
  redis.call('SET', KEYS[2], string.format('%.6f', c_new), 'PX', ttl)
end
return {1, tostring(slot - now), 0, tostring(now)}
"""

_PAUSE = """
local t = redis.call('TIME')
local until_ = tonumber(t[1]) + tonumber(t[2]) / 1000000 + tonumber(ARGV[1])
local old = tonumber(redis.call('HGET', KEYS[1], 'paused_until')) or 0
if until_ > old then redis.call('HSET', KEYS[1], 'paused_until', string.format('%.6f', until_)) end
return 1
"""

# KEYS: the bucket. ARGV: burst, per second, pause, forget after (seconds).
_FLOOD = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local burst, rate, pause = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local ttl = math.ceil(tonumber(ARGV[4]) * 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'seen', 'paused_until')
local tokens, seen, paused = tonumber(b[1]), tonumber(b[2]), tonumber(b[3])
local verdict
if tokens == nil then
  tokens = burst
elseif paused ~= nil and paused > 0 then
  if now < paused then
    redis.call('HSET', KEYS[1], 'seen', string.format('%.6f', now))
    redis.call('PEXPIRE', KEYS[1], ttl)
    return 'ignore'
  end
  tokens = burst
else
  tokens = math.min(burst, tokens + math.max(0, now - seen) * rate)
end
if tokens >= 1 then
  tokens = tokens - 1
  paused = 0
  verdict = 'pass'
else
  tokens = 0
  paused = now + pause
  verdict = 'throttle'
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens),
  'seen', string.format('%.6f', now), 'paused_until', string.format('%.6f', paused))
redis.call('PEXPIRE', KEYS[1], ttl)
return verdict
"""


def connect(url: str) -> Redis:
    """A client of the Redis at ``url`` (connections are made on first use)."""
    client: Redis = Redis.from_url(url, decode_responses=True)
    return client


class RedisSlots:
    """The send budget's state in Redis, for bot ``bot`` (its numeric id)."""

    def __init__(self, client: Redis, bot: str) -> None:
        self.client = client
        self.bot = bot
        self._take = client.register_script(_TAKE)
        self._pause = client.register_script(_PAUSE)
        self._key = f"newsbot:{bot}:send"

    async def take(
        self, chat_id: int, interval: float, chat: ChatRule, horizon: float
    ) -> SlotAnswer:
        """Take the bot's next slot for ``chat_id`` if it starts within ``horizon`` seconds."""
        keys = [self._key, f"newsbot:{self.bot}:chat:{chat_id}"]
        args = [interval, chat.interval, chat.tolerance, horizon]
        answer: Any = await self._take(keys=keys, args=args)
        taken, wait, chat_busy, now = answer
        return SlotAnswer(bool(int(taken)), max(0.0, float(wait)), bool(int(chat_busy)), float(now))

    async def pause(self, seconds: float) -> None:
        """Nobody sends for ``seconds`` from now (Telegram answered 429)."""
        await self._pause(keys=[self._key], args=[seconds])

    async def forget_chats(self, idle: float) -> int:
        """Nothing to do: a chat's key expires by itself."""
        return 0


class RedisFlood:
    """The flood buckets of ``handlers.flood`` in Redis."""

    def __init__(self, client: Redis, bot: str, forget_after: float) -> None:
        self.client = client
        self.bot = bot
        self.forget_after = forget_after
        self._check = client.register_script(_FLOOD)

    async def check(self, key: int, burst: float, per_second: float, pause: float) -> str:
        """Count one update of ``key``: "pass", "throttle" or "ignore"."""
        keys = [f"newsbot:{self.bot}:flood:{key}"]
        ttl = max(self.forget_after, pause + 1)
        return str(await self._check(keys=keys, args=[burst, per_second, pause, ttl]))

    async def forget_idle(self, idle: float) -> int:
        """Nothing to do: a bucket's key expires by itself."""
        return 0


async def claim_update_in_redis(client: Redis, bot: str, update_id: int, keep: float) -> bool:
    """Record ``update_id`` as taken for ``keep`` seconds; False when taken before."""
    taken = await client.set(f"newsbot:{bot}:update:{update_id}", "1", nx=True, ex=int(keep))
    return bool(taken)
