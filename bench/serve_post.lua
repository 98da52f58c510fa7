-- wrk: POST the body in the file $BODY (one Fashion-MNIST test image as a JSON row) to the URL given.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open(os.getenv("BODY"), "r"))
wrk.body = f:read("*a")
f:close()

-- Any answer but 200 counts as an error in the summary.
local bad = 0
response = function(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
