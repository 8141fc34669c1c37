-- wrk script: POST /record with random ids in [1, 1e6] (the original API, one record per request).
math.randomseed(os.time())
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local id = math.random(1, 1000000)
  return wrk.format(nil, "/record", nil, '{"id":' .. id .. ',"value":"value-' .. id .. '"}')
end
