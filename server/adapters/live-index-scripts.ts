/**
 * Lua for the live index. Each script applies many drivers in one call (a coalesced,
 * multi-member write) and is atomic per call. Keys are built inside the scripts from the
 * prefix, which ties the index to one Redis node (see docs/decisions/0004-live-index.md).
 *
 * Layout, prefix P:
 *   P:drv:<id>                         hash: state ver sess vt veh lat lng at seq rx cell hd onl
 *   P:online                           zset: driver id -> server time last seen (ms, ~5 s precision)
 *   P:cell:<vt>:<h3 cell>:<bucket>     GEO set of *available* drivers seen in that time bucket
 *
 * A bucket is `floor(server time / bucket width)` with the width equal to the stale threshold,
 * so every fresh driver is in the current or the previous bucket of its current cell. Older
 * buckets expire by TTL: no sweeper.
 */

/**
 * KEYS: cell bucket keys. Returns, per key, its members and GEO scores: one round trip for a
 * whole ring of a nearest-driver search instead of one command per key.
 */
export const readCellsScript = `
local out = {}
for i = 1, #KEYS do
  out[i] = redis.call('ZRANGE', KEYS[i], 0, -1, 'WITHSCORES')
end
return out
`;

/** ARGV: prefix, bucketWidthMs, bucketTtlS, then per driver: id ver state sess vt veh nowMs */
export const setStateScript = `
local p = ARGV[1]
local width = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local applied = 0
for i = 4, #ARGV, 7 do
  local id, ver, state, sess, vt, veh, now = ARGV[i], tonumber(ARGV[i+1]), ARGV[i+2], ARGV[i+3], ARGV[i+4], ARGV[i+5], tonumber(ARGV[i+6])
  local k = p .. ':drv:' .. id
  local cur = redis.call('HMGET', k, 'ver', 'cell', 'vt', 'lat', 'lng', 'state')
  if tonumber(cur[1] or '0') < ver then
    applied = applied + 1
    local b = math.floor(now / width)
    if cur[2] then
      local old = p .. ':cell:' .. cur[3] .. ':' .. cur[2] .. ':'
      redis.call('ZREM', old .. b, id)
      redis.call('ZREM', old .. (b - 1), id)
    end
    if state == 'offline' then
      -- A tombstone keeps the version, so a late, older event cannot bring the driver back.
      redis.call('DEL', k)
      redis.call('HSET', k, 'ver', ver, 'state', 'offline')
      redis.call('EXPIRE', k, 86400)
      redis.call('ZREM', p .. ':online', id)
    else
      local known = cur[4] and cur[6] ~= 'offline'
      if cur[6] == 'offline' then redis.call('DEL', k) end
      redis.call('HSET', k, 'ver', ver, 'state', state, 'sess', sess, 'vt', vt, 'veh', veh, 'onl', now)
      redis.call('PERSIST', k)
      redis.call('ZADD', p .. ':online', now, id)
      if state == 'available' and known then
        local ck = p .. ':cell:' .. vt .. ':' .. cur[2] .. ':' .. b
        redis.call('GEOADD', ck, cur[5], cur[4], id)
        redis.call('EXPIRE', ck, ttl)
      end
    end
  end
end
return applied
`;

/**
 * ARGV: prefix, bucketWidthMs, bucketTtlS, onlineEveryMs, positions — a JSON array of
 *   [id, sess, seq, at, lat, lng, rx, cell, hd] (one string argument, decoded by Redis's cjson:
 *   nine client-side arguments per driver cost more CPU than the whole script).
 * Applies a position only to an online driver of the same duty session with a newer sequence
 * number, so replays and stragglers after going offline change nothing. The presence set is
 * refreshed at most every `onlineEveryMs` per driver: it only needs seconds of precision.
 */
export const applyPositionsScript = `
local p = ARGV[1]
local width = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local onlineEvery = tonumber(ARGV[4])
local rows = cjson.decode(ARGV[5])
local applied = 0
for _, row in ipairs(rows) do
  local id, sess, seq = row[1], row[2], row[3]
  local k = p .. ':drv:' .. id
  local cur = redis.call('HMGET', k, 'state', 'sess', 'seq', 'cell', 'vt', 'onl')
  if cur[1] and cur[1] ~= 'offline' and cur[2] == sess and tonumber(cur[3] or '0') < seq then
    applied = applied + 1
    local lat, lng, rx, cell = row[5], row[6], row[7], row[8]
    redis.call('HSET', k, 'seq', seq, 'at', string.format('%d', row[4]), 'lat', lat, 'lng', lng,
      'rx', string.format('%d', rx), 'cell', cell, 'hd', row[9])
    if rx - tonumber(cur[6] or '0') >= onlineEvery then
      redis.call('ZADD', p .. ':online', rx, id)
      redis.call('HSET', k, 'onl', string.format('%d', rx))
    end
    if cur[1] == 'available' then
      local b = math.floor(rx / width)
      if cur[4] and cur[4] ~= cell then
        local old = p .. ':cell:' .. cur[5] .. ':' .. cur[4] .. ':'
        redis.call('ZREM', old .. b, id)
        redis.call('ZREM', old .. (b - 1), id)
      end
      local ck = p .. ':cell:' .. cur[5] .. ':' .. cell .. ':' .. b
      if redis.call('GEOADD', ck, lng, lat, id) == 1 then redis.call('EXPIRE', ck, ttl) end
    end
  end
end
return applied
`;
