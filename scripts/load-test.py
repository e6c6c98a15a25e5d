#!/usr/bin/env python3
"""Service-level numbers: the same 1,000-row endpoint served by uvicorn (FastAPI's default
JSON, ORJSONResponse, toon's ToonResponse) and by node:http (JSON.stringify, toon.encode,
toon.encodeAsync), loaded by wrk on 127.0.0.1 for a bounded time per case.

    target/py-venv/bin/python scripts/load-test.py [--seconds 5] [--connections 8]
                                                   [--out target/bench-results/load-test.json]

Prints a Markdown table (requests/s, p50/p99 latency, bytes and o200k tokens per
response) and writes a bench result file of the requests/s, which
`cargo run -p toon-benches --bin bench-charts --release -- FILE` draws. Run by hand (not
in CI); it needs wrk (`apt-get install wrk`), the virtualenv of scripts/test-all.sh
(toon, fastapi, uvicorn, orjson) and the Node addon (`npm run build` in bindings/node).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import toon

ROOT = pathlib.Path(__file__).resolve().parents[1]
HERE = ROOT / "scripts" / "load-test"

# (server, route, series name)
CASES = [
    ("FastAPI (uvicorn)", "/json", "default JSONResponse"),
    ("FastAPI (uvicorn)", "/orjson", "ORJSONResponse"),
    ("FastAPI (uvicorn)", "/toon", "ToonResponse"),
    ("node:http", "/json", "JSON.stringify"),
    ("node:http", "/toon", "toon.encode"),
    ("node:http", "/toon-async", "toon.encodeAsync"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, path: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"load-test: the server on port {port} exited ({process.returncode})")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"load-test: no server on port {port} after 30 s")


def start(server: str, port: int, env: dict[str, str]) -> subprocess.Popen:
    if server == "node:http":
        command = ["node", str(HERE / "server.js"), str(port)]
    else:
        command = [sys.executable, "-m", "uvicorn", "app:app", "--app-dir", str(HERE),
                   "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
                   "--no-access-log"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def run_wrk(url: str, seconds: int, connections: int) -> dict[str, float]:
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", url],
        check=True, capture_output=True, text=True,
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if not (rate and p50 and p99) or errors:
        raise SystemExit(f"load-test: unexpected wrk output for {url}:\n{output}")
    return {"rps": float(rate.group(1)), "p50": milliseconds(p50.group(1)), "p99": milliseconds(p99.group(1))}


def corpus() -> pathlib.Path:
    directory = pathlib.Path(tempfile.mkdtemp(prefix="toon-load-"))
    subprocess.run(["cargo", "run", "-q", "--release", "-p", "toon-benches", "--bin", "corpora", "--",
                    str(directory)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return directory / "tabular.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per case")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "target/bench-results/load-test.json")
    args = parser.parse_args()

    data = corpus()
    env = dict(os.environ, TOON_LOAD_DATA=str(data))
    rows = []
    print(f"{json.loads(data.read_text())['users'].__len__()} rows; wrk -t1 -c{args.connections} "
          f"-d{args.seconds}s per case on 127.0.0.1")
    print("| server | response | requests/s | p50 | p99 | bytes | tokens (o200k) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for server in dict.fromkeys(case[0] for case in CASES):
        port = free_port()
        process = start(server, port, env)
        try:
            wait_until_up(port, CASES[-1][1] if server == "node:http" else "/orjson", process)
            for case_server, route, name in CASES:
                if case_server != server:
                    continue
                url = f"http://127.0.0.1:{port}{route}"
                body = urllib.request.urlopen(url, timeout=10).read()
                tokens = toon.count_tokens(body.decode("utf-8"))
                result = run_wrk(url, args.seconds, args.connections)
                rows.append({"group": server, "series": name, "value": result["rps"],
                             "p50_ms": result["p50"], "p99_ms": result["p99"],
                             "bytes": len(body), "tokens": tokens})
                print(f"| {server} | {name} | {result['rps']:,.0f} | {result['p50']:.1f} ms | "
                      f"{result['p99']:.1f} ms | {len(body):,} | {tokens:,} |", flush=True)
        finally:
            process.terminate()
            process.wait(timeout=10)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "title": "HTTP: requests/s of one 1,000-row endpoint (wrk, 127.0.0.1)",
        "unit": "requests/s",
        "higher_is_better": True,
        "baselines": [],
        "rows": rows,
    }, indent=2))
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
