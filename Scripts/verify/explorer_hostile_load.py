#!/usr/bin/env python3
"""Load test of the explorer with hostile requests mixed in (issue 18).

64 clients (CLIENTS) for 60 s (SECONDS) against `embedding-drift serve` on a small imported run: 90% well-formed
GETs of /api/concept/<term>, 10% hostile — a 10 MB body, a chunk size of FFFFFFFFFFFFFFFF, a slow-loris head held
for 5 s, garbage instead of HTTP, a JSON body with a repeated key. Prints the well-formed requests' status counts
(and any failure), the hostile ones' outcomes, and the server's resident memory sampled every second; exits 1 on
any 5xx or failed well-formed request.

    /work/venv/bin/python Scripts/verify/explorer_hostile_load.py [--bin .build/debug/embedding-drift]
Needs numpy; standard library otherwise.
"""
import argparse
import asyncio
import collections
import os
import random
import socket
import subprocess
import sys
import tempfile
import time

import numpy as np


def make_run(binary, folder):
    terms = [f"concept{i}" for i in range(60)]
    with open(os.path.join(folder, "vocab.csv"), "w") as f:
        f.write("term,category\n" + "".join(f"{t},{'ab'[i % 2]}\n" for i, t in enumerate(terms)))
    rng = np.random.default_rng(7)
    base = rng.standard_normal((3, len(terms), 16)).astype(np.float32)
    args = [binary, "import"]
    for v in range(2):
        path = os.path.join(folder, f"v{v}.npy")
        np.save(path, base + 0.3 * v * rng.standard_normal(base.shape).astype(np.float32))
        args.append(f"v{v}={path}")
    run = os.path.join(folder, "run")
    subprocess.run(args + ["--vocab", os.path.join(folder, "vocab.csv"), "--out", run, "--bootstrap", "200",
                          "--permutations", "200"], check=True, capture_output=True)
    return run, terms


async def exchange(port, payload, hold=0.0, read=True):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for i, chunk in enumerate(payload):
            writer.write(chunk)
            await writer.drain()
            if hold and i == 0:
                await asyncio.sleep(hold)
        if not read:
            return None
        data = await asyncio.wait_for(reader.read(65536), timeout=40)
        return data
    finally:
        writer.close()


def status_of(data):
    if data and data.startswith(b"HTTP/1.1 "):
        return int(data[9:12])
    return None


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=".build/debug/embedding-drift")
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("SECONDS_", 60)))
    parser.add_argument("--clients", type=int, default=int(os.environ.get("CLIENTS", 64)))
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="hostile-load-")
    run, terms = make_run(options.bin, folder)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([options.bin, "serve", run, "--port", str(port)], stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                await exchange(port, [b"GET /api/run HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"])
                break
            except OSError:
                await asyncio.sleep(0.1)
        good = collections.Counter()
        hostile = collections.Counter()
        rss = []
        deadline = time.monotonic() + options.seconds
        big = b"x" * (10 << 20)
        attacks = {
            "10MB-body": lambda: [b"POST /api/embed HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(big), big],
            "huge-chunk": lambda: [b"POST /api/embed HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                   b"FFFFFFFFFFFFFFFF\r\nab"],
            "garbage": lambda: [bytes(random.getrandbits(8) for _ in range(300)) + b"\r\n\r\n"],
            "repeated-key": lambda: [b"POST /api/embed HTTP/1.1\r\nHost: x\r\nContent-Length: 33\r\n"
                                     b"Connection: close\r\n\r\n{\"term\": \"a\", \"term\": \"bcdefg\"}"],
        }

        async def client():
            while time.monotonic() < deadline:
                if random.random() < 0.1:
                    kind = random.choice(list(attacks) + ["slow-loris"])
                    try:
                        if kind == "slow-loris":
                            data = await exchange(port, [b"GET /api/run HTTP/1.1\r\nHost: x\r\n", b"X-A: b\r\n"],
                                                  hold=5)
                        else:
                            data = await exchange(port, attacks[kind]())
                        hostile[(kind, status_of(data))] += 1
                    except (OSError, asyncio.TimeoutError) as error:
                        hostile[(kind, type(error).__name__)] += 1
                    continue
                term = random.choice(terms)
                request = f"GET /api/concept/{term} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
                try:
                    good[status_of(await exchange(port, [request]))] += 1
                except (OSError, asyncio.TimeoutError) as error:
                    good[type(error).__name__] += 1

        async def sample():
            while time.monotonic() < deadline:
                with open(f"/proc/{server.pid}/status") as f:
                    rss.append(next(int(l.split()[1]) for l in f if l.startswith("VmRSS")) // 1024)
                await asyncio.sleep(1)

        await asyncio.gather(sample(), *(client() for _ in range(options.clients)))
    finally:
        server.terminate()
        server.wait()
    total = sum(good.values())
    bad = sum(n for k, n in good.items() if not (isinstance(k, int) and k < 500))
    print(f"well-formed: {total} requests, statuses {dict(good)}")
    print("hostile: " + ", ".join(f"{k[0]}→{k[1]}: {n}" for k, n in sorted(hostile.items(), key=str)))
    quarter = max(1, len(rss) // 4)
    print(f"server RSS MiB: first {rss[0] if rss else '?'}, max {max(rss) if rss else '?'}, "
          f"mean of first quarter {sum(rss[:quarter]) / quarter:.0f}, of last quarter {sum(rss[-quarter:]) / quarter:.0f}")
    print(f"{total - bad} passed, {bad} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
