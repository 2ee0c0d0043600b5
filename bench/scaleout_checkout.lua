-- Buyers going through checkout, for bench/scaleout.py: add to cart, place the order, pay.
--
--   wrk -t N -c N -s bench/scaleout_checkout.lua URL -- BUYERS_FILE N
--
-- One connection per wrk thread (-t equal to -c), so each thread's responses come back in the
-- order of its requests and the thread can walk its buyers through the three steps: POST
-- /cart/add/, POST /orders/checkout/ (a 302 to the pay page, or 200: refused, e.g. sold out),
-- POST the pay page (a 302 to /orders/: paid). BUYERS_FILE is a Lua file returning a list of
-- {session, csrf, address, sku}; thread k takes buyers k, k+N, k+2N, ... Prints one JSON line.

local threads = {}
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local buyers = {}
local at, step, pay_path = 1, 1, nil
statuses, purchases, refused, pay_refused, rounds = {}, 0, 0, 0, 0

function init(args)
  local all = dofile(args[1])
  local n = tonumber(args[2])
  for i, buyer in ipairs(all) do
    if (i - 1) % n == id then table.insert(buyers, buyer) end
  end
end

local function next_buyer()
  at = at % #buyers + 1
  step = 1
  rounds = rounds + 1
end

function request()
  local b = buyers[at]
  local headers = {
    ["Cookie"] = "sessionid=" .. b[1] .. "; csrftoken=" .. b[2],
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  local csrf = "csrfmiddlewaretoken=" .. b[2]
  if step == 1 then
    return wrk.format("POST", "/cart/add/", headers, "sku=" .. b[4] .. "&quantity=1&" .. csrf)
  elseif step == 2 then
    return wrk.format("POST", "/orders/checkout/", headers, "address=" .. b[3] .. "&" .. csrf)
  end
  return wrk.format("POST", pay_path, headers, csrf)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local location = headers["Location"] or headers["location"] or ""
  if step == 1 then
    step = 2
  elseif step == 2 then
    if status == 302 and string.find(location, "/orders/pay/", 1, true) then
      pay_path = location
      step = 3
    else
      refused = refused + 1
      next_buyer()
    end
  else
    if status == 302 and not string.find(location, "/pay/", 1, true) then
      purchases = purchases + 1
    else
      pay_refused = pay_refused + 1
    end
    next_buyer()
  end
end

function done(summary, latency, requests)
  local merged = {}
  local totals = {purchases = 0, refused = 0, pay_refused = 0, rounds = 0}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do merged[status] = (merged[status] or 0) + n end
    for key, _ in pairs(totals) do totals[key] = totals[key] + t:get(key) end
  end
  local parts = {}
  for status, n in pairs(merged) do table.insert(parts, string.format('"%d": %d', status, n)) end
  local e = summary.errors
  io.write(string.format(
    'WRK_CHECKOUT {"statuses": {%s}, "purchases": %d, "refused": %d, "pay_refused": %d, '
    .. '"rounds": %d, "requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, '
    .. '"p99_us": %d, "max_us": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d}\n',
    table.concat(parts, ", "), totals.purchases, totals.refused, totals.pay_refused,
    totals.rounds, summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, e.connect, e.read, e.write,
    e.timeout))
end
