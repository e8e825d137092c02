/**
 * Lua for the live index. Each script applies many drivers in one call (a coalesced,
 * multi-member write) and is atomic per call. Keys are built inside the scripts from the
 * prefix, which ties the index to one Redis node (see docs/decisions/0004-live-index.md).
 *
 * Layout, prefix P:
 *   P:drv:<id>             hash: state ver sess vt veh lat lng at seq rx cell hd
 *   P:online               zset: driver id -> server time last seen (ms)
 *   P:cell:<vt>:<h3 cell>  zset: *available* driver id -> server time last seen (ms)
 */

/** ARGV: prefix, cellTtlS, then per driver: id ver state sess vt veh nowMs */
export const setStateScript = `
local p = ARGV[1]
local cellTtl = tonumber(ARGV[2])
local applied = 0
for i = 3, #ARGV, 7 do
  local id, ver, state, sess, vt, veh, now = ARGV[i], tonumber(ARGV[i+1]), ARGV[i+2], ARGV[i+3], ARGV[i+4], ARGV[i+5], ARGV[i+6]
  local k = p .. ':drv:' .. id
  local cur = redis.call('HMGET', k, 'ver', 'cell', 'vt')
  if tonumber(cur[1] or '0') < ver then
    applied = applied + 1
    if cur[2] then redis.call('ZREM', p .. ':cell:' .. cur[3] .. ':' .. cur[2], id) end
    if state == 'offline' then
      -- A tombstone keeps the version, so a late, older event cannot bring the driver back.
      redis.call('DEL', k)
      redis.call('HSET', k, 'ver', ver, 'state', 'offline')
      redis.call('EXPIRE', k, 86400)
      redis.call('ZREM', p .. ':online', id)
    else
      if cur[1] and redis.call('HGET', k, 'state') == 'offline' then redis.call('DEL', k) end
      redis.call('HSET', k, 'ver', ver, 'state', state, 'sess', sess, 'vt', vt, 'veh', veh)
      redis.call('PERSIST', k)
      redis.call('ZADD', p .. ':online', now, id)
      local cell = redis.call('HGET', k, 'cell')
      if cell and state == 'available' then
        local ck = p .. ':cell:' .. vt .. ':' .. cell
        redis.call('ZADD', ck, now, id)
        redis.call('EXPIRE', ck, cellTtl)
      end
    end
  end
end
return applied
`;

/**
 * ARGV: prefix, cellTtlS, pruneBeforeMs, then per position: id sess seq at lat lng rx cell hd
 * Applies a position only to an online driver of the same duty session with a newer sequence
 * number, so replays and stragglers after going offline change nothing.
 */
export const applyPositionsScript = `
local p = ARGV[1]
local cellTtl = tonumber(ARGV[2])
local pruneBefore = ARGV[3]
local applied = 0
for i = 4, #ARGV, 9 do
  local id, sess, seq = ARGV[i], ARGV[i+1], tonumber(ARGV[i+2])
  local k = p .. ':drv:' .. id
  local cur = redis.call('HMGET', k, 'state', 'sess', 'seq', 'cell', 'vt')
  if cur[1] and cur[1] ~= 'offline' and cur[2] == sess and tonumber(cur[3] or '0') < seq then
    applied = applied + 1
    local rx, cell = ARGV[i+6], ARGV[i+7]
    redis.call('HSET', k, 'seq', seq, 'at', ARGV[i+3], 'lat', ARGV[i+4], 'lng', ARGV[i+5], 'rx', rx, 'cell', cell, 'hd', ARGV[i+8])
    redis.call('ZADD', p .. ':online', rx, id)
    if cur[4] and cur[4] ~= cell then redis.call('ZREM', p .. ':cell:' .. cur[5] .. ':' .. cur[4], id) end
    if cur[1] == 'available' then
      local ck = p .. ':cell:' .. cur[5] .. ':' .. cell
      redis.call('ZADD', ck, rx, id)
      -- Entries of drivers who vanished age out here and through the key TTL: no sweeper needed.
      redis.call('ZREMRANGEBYSCORE', ck, '-inf', pruneBefore)
      redis.call('EXPIRE', ck, cellTtl)
    end
  end
end
return applied
`;
