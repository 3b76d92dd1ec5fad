#!/usr/bin/env python3
"""Batch install throughput of the app service to simulated devices.

Starts nothing itself: scripts/bench-app.sh runs `cloudphone up` and passes --base. Registers
a user, creates --devices simulated phones and waits until they run, uploads each APK and
installs it on all of them in one batch (POST /api/v1/apps/{id}/install), polling the batch
until it finished. Throughput = devices / (time from the POST to the poll that saw every item
finished), client side (includes up to one poll interval). Each APK is installed --rounds
times (uninstalled in between, not timed). Prints one line per APK.
"""
import argparse
import json
import statistics
import time
import urllib.error
import urllib.request


def call(base, method, path, token=None, body=None, raw=None, ctype="application/json", timeout=120):
    data = json.dumps(body).encode() if body is not None else raw
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", ctype)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            text = res.read()
            return res.status, json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def wait_batch(args, token, batch_id):
    while True:
        status, body = call(args.base, "GET", "/api/v1/apps/installs/" + batch_id, token)
        if status == 200 and body["state"] == "finished":
            return body
        time.sleep(args.poll_ms / 1000.0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--devices", type=int, default=10)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--poll-ms", type=int, default=20)
    p.add_argument("apks", nargs="+")
    args = p.parse_args()

    user = "bench%d" % int(time.time())
    call(args.base, "POST", "/api/v1/auth/register", body={"email": user + "@example.com", "username": user,
                                                           "password": "correct horse 42"})
    status, login = call(args.base, "POST", "/api/v1/auth/login", body={"login": user, "password": "correct horse 42"})
    assert status == 200, login
    token = login["access_token"]
    ids = []
    for i in range(args.devices):
        spec = {"width": 360, "height": 640, "dpi": 160, "fps": 5, "cpu_cores": 1, "memory_mb": 512}
        status, body = call(args.base, "POST", "/api/v1/devices", token, {"name": "bench-%d" % i, "spec": spec})
        assert status == 201, body
        ids.append(body["id"])
    for dev in ids:
        while call(args.base, "GET", "/api/v1/devices/" + dev, token)[1]["state"] != "running":
            time.sleep(0.2)

    for apk in args.apks:
        with open(apk, "rb") as f:
            data = f.read()
        status, app = call(args.base, "POST", "/api/v1/apps", token, raw=data,
                           ctype="application/vnd.android.package-archive")
        assert status == 201, app
        rates = []
        for _ in range(args.rounds):
            t0 = time.monotonic()
            status, started = call(args.base, "POST", "/api/v1/apps/%s/install" % app["id"], token,
                                   {"device_ids": ids})
            assert status == 202, started
            done = wait_batch(args, token, started["batch_id"])
            elapsed = time.monotonic() - t0
            assert done["failed"] == 0, done
            rates.append(len(ids) / elapsed)
            status, un = call(args.base, "POST", "/api/v1/apps/%s/uninstall" % app["id"], token, {"device_ids": ids})
            wait_batch(args, token, un["batch_id"])
        print("%-12s %9d bytes  %d devices  installs/s median %.1f (rounds: %s)" % (
            apk.split("/")[-1], len(data), len(ids), statistics.median(rates),
            ", ".join("%.1f" % r for r in rates)), flush=True)


if __name__ == "__main__":
    main()
