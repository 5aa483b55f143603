-- wrk: paced audited writes for the soak (bench/soak.sh). Each request creates one
-- follow-up on a random project of one unit, as that unit's unit_staff account, then the
-- connection waits PAUSE ms before its next request, so the write rate stays what the
-- soak asks for instead of what the disk allows.
-- Arguments (after --): token, file of project ids, date, participant user id, pause ms.
local ids = {}
local threads = 0
local n = 0
local pause = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  token, date, user = args[1], args[3], args[4]
  pause = tonumber(args[5] or "0")
  for line in io.lines(args[2]) do
    if #line > 0 then ids[#ids + 1] = line end
  end
  math.randomseed(os.time() * 100 + (tid or 0))
end

function delay()
  return pause
end

function request()
  n = n + 1
  local id = ids[math.random(#ids)]
  local body = string.format(
    '{"date":"%s","kind":"call","summary":"长稳写入 %d-%d","participant_user_ids":[%s]}',
    date, tid or 0, n, user)
  return wrk.format("POST", "/api/v1/projects/" .. id .. "/follow-ups",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
