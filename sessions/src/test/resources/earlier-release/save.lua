local k = KEYS[1]
local mode = ARGV[1]
if mode == 'n' then
  if redis.call('HSETNX', k, '#c', ARGV[3]) == 0 then return -1 end
elseif mode == 'f' then
  redis.call('DEL', k)
  redis.call('HSET', k, '#c', ARGV[3])
elseif redis.call('PEXPIRE', k, ARGV[2]) == 0 then
  return 0
end
local r = tonumber(ARGV[4])
if r > 0 then redis.call('HDEL', k, unpack(ARGV, 5, 4 + r)) end
redis.call('HSET', k, unpack(ARGV, 5 + r, #ARGV))
if mode ~= 'u' then redis.call('PEXPIRE', k, ARGV[2]) end
redis.call('EXISTS', k)
return 1
