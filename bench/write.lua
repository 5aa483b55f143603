-- wrk: audited single-record writes. Each request creates one follow-up (洽谈记录) on a
-- random project of one unit, as that unit's unit_staff account (bearer token): one
-- transaction with validation, the record, its participants, the project's figures and
-- an audit entry, committed with synchronous=FULL.
-- Arguments (after --): token, file of project ids (one a line), date, participant user id, seed.
local ids = {}
local threads = 0
local n = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  token, date, user = args[1], args[3], args[4]
  for line in io.lines(args[2]) do
    if #line > 0 then ids[#ids + 1] = line end
  end
  math.randomseed(tonumber(args[5] or "1") * 100 + (tid or 0))
end

function request()
  n = n + 1
  local id = ids[math.random(#ids)]
  local body = string.format(
    '{"date":"%s","kind":"call","summary":"压测写入 %d-%d","participant_user_ids":[%s]}',
    date, tid or 0, n, user)
  return wrk.format("POST", "/api/v1/projects/" .. id .. "/follow-ups",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
