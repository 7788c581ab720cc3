-- status.lua: wrk script that counts responses other than 200 across all threads.
-- wrk itself only reports statuses above 399; a 303 to /login (a lost
-- session) must count as a failure too.
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   bad = 0
end

function response(status, headers, body)
   if status ~= 200 then
      bad = bad + 1
   end
end

function done(summary, latency, requests)
   local n = 0
   for _, t in ipairs(threads) do
      n = n + t:get("bad")
   end
   io.write(string.format("Non-200 responses: %d\n", n))
end
