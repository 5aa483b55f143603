-- wrk: the project list as a unit user sees it. Each request is one page of 50 of one
-- unit's projects (those it leads or co-owns), largest planned investment first, sent
-- with the bearer token of a randomly chosen unit's unit_staff account.
-- Arguments (after --): file of tokens (one a line), seed.
local tokens = {}
local threads = 0
local path = "/api/v1/projects?sort=-planned_investment&limit=50"

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then tokens[#tokens + 1] = line end
  end
  math.randomseed(tonumber(args[2] or "1") * 100 + (tid or 0))
end

function request()
  local t = tokens[math.random(#tokens)]
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. t })
end
