-- wrk: the boards as a browser fetches them (gzip), the dashboard and the ranking in
-- turn, with one bearer token. Under writes each answer may have to be computed again.
-- Arguments (after --): token.
local n = 0
local paths = { "/api/v1/campaigns/1/dashboard", "/api/v1/campaigns/1/ranking?all=true" }

function init(args)
  token = args[1]
end

function request()
  n = n + 1
  return wrk.format("GET", paths[n % 2 + 1],
    { ["Authorization"] = "Bearer " .. token, ["Accept-Encoding"] = "gzip" })
end
