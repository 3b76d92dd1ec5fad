#!/usr/bin/env python3
"""Create-to-ready latency of cloud phones through the gateway of a running `cloudphone up`.

For each concurrency level C: rounds of C devices created at once (one thread each: POST
/api/v1/devices, then GET every --poll-ms until state is running); the latency of a device is
from just before its POST to the first GET that saw it running (client side, so it includes
the poll interval: on average half of it). The server-side figure (started_at - created_at,
ms timestamps in the database) is printed next to it. Devices are deleted after each round
and the next round starts when their runtime instances are gone.
Prints one line per level and, with --json, writes the numbers to a file.
"""
import argparse
import json
import statistics
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime


def call(base, method, path, token=None, body=None, timeout=60):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            raw = res.read()
            return res.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, raw.decode(errors="replace")


def rfc3339_ms(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000.0


def percentile(values, p):
    s = sorted(values)
    k = (len(s) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def one_device(args, token, name, out, errors):
    spec = {"width": args.width, "height": args.height, "dpi": 240, "cpu_cores": 1, "memory_mb": 512}
    t0 = time.monotonic()
    status, body = call(args.base, "POST", "/api/v1/devices", token, {"name": name, "spec": spec})
    if status != 201:
        errors.append(f"create {name}: {status} {body}")
        return
    dev_id = body["id"]
    deadline = t0 + args.timeout
    while time.monotonic() < deadline:
        status, d = call(args.base, "GET", "/api/v1/devices/" + dev_id, token)
        if status == 200 and d["state"] == "running":
            client_ms = (time.monotonic() - t0) * 1000.0
            server_ms = rfc3339_ms(d["started_at"]) - rfc3339_ms(d["created_at"])
            out.append((dev_id, client_ms, server_ms))
            return
        if status == 200 and d["state"] == "error":
            errors.append(f"{dev_id}: error: {d['state_reason']}")
            return
        time.sleep(args.poll_ms / 1000.0)
    errors.append(f"{dev_id}: not running after {args.timeout} s")


def round_of(args, token, level, rnd):
    out, errors, threads = [], [], []
    for i in range(level):
        t = threading.Thread(target=one_device, args=(args, token, f"bench-{level}-{rnd}-{i}", out, errors))
        threads.append(t)
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Clean up: delete every device of this user and wait until the list is empty.
    status, page = call(args.base, "GET", "/api/v1/devices?limit=200", token)
    for d in page["items"]:
        call(args.base, "DELETE", "/api/v1/devices/" + d["id"], token)
    time.sleep(args.settle)
    return out, errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--label", required=True)
    ap.add_argument("--levels", default="1,20")
    ap.add_argument("--samples", type=int, default=20, help="devices measured per level (at least)")
    ap.add_argument("--poll-ms", type=float, default=20)
    ap.add_argument("--timeout", type=float, default=180)
    ap.add_argument("--settle", type=float, default=2.0, help="seconds after deleting a round")
    ap.add_argument("--width", type=int, default=480)
    ap.add_argument("--height", type=int, default=800)
    ap.add_argument("--json")
    args = ap.parse_args()

    user = "bench" + str(int(time.time()))
    call(args.base, "POST", "/api/v1/auth/register",
         body={"email": user + "@example.com", "username": user, "password": "correct horse 42"})
    status, login = call(args.base, "POST", "/api/v1/auth/login", body={"login": user, "password": "correct horse 42"})
    if status != 200:
        raise SystemExit(f"login failed: {status} {login}")
    token = login["access_token"]

    results = {}
    for level in [int(x) for x in args.levels.split(",")]:
        client, server, errors = [], [], []
        rnd = 0
        while len(client) < args.samples and rnd < args.samples:
            out, errs = round_of(args, token, level, rnd)
            client += [c for _, c, _ in out]
            server += [s for _, _, s in out]
            errors += errs
            rnd += 1
            if errs:
                break
        if not client:
            raise SystemExit(f"{args.label} x{level}: no device became ready: {errors[:3]}")
        r = {
            "samples": len(client), "rounds": rnd, "errors": errors,
            "client_p50_ms": round(statistics.median(client), 1),
            "client_p95_ms": round(percentile(client, 95), 1),
            "server_p50_ms": round(statistics.median(server), 1),
            "server_p95_ms": round(percentile(server, 95), 1),
        }
        results[level] = r
        print(f"{args.label} concurrency {level}: create-to-ready p50 {r['client_p50_ms']} ms, "
              f"p95 {r['client_p95_ms']} ms (server-side p50 {r['server_p50_ms']} ms, "
              f"p95 {r['server_p95_ms']} ms; {r['samples']} devices in {rnd} rounds, "
              f"poll {args.poll_ms:g} ms{', errors: ' + str(len(errors)) if errors else ''})", flush=True)
        for e in errors[:5]:
            print("  error:", e, flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"label": args.label, "levels": results}, f, indent=1)


if __name__ == "__main__":
    main()
