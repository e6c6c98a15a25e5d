"""The three front-ends on one Redis: the `toon` CLI (Rust), the Python package and the
Node package count the same texts against a real `redis-server` started on a free port,
and each one's entries are hits for the others (same keys, `toon:tok:v1:<encoding>:<hash>`
and `toon:conv:v1:<hash>`); with Redis down every count is still right.

Run by `scripts/test-shared-redis.sh`, which builds the CLI and sets `TOON_CLI` (the
binary) and `TOON_NODE_DIR` (a built `bindings/node`). Without `redis-server` this fails,
unless `TOON_SKIP_REDIS=1` says to skip it.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bindings" / "python" / "tests"))

import toon  # noqa: E402
from test_shared_cache import LONG, RedisServer, free_port, require_redis_server, resp  # noqa: E402

NODE_COUNT = """
const toon = require(process.argv[1])
const [url, path] = process.argv.slice(2)
const text = require('fs').readFileSync(path, 'utf8')
const counter = new toon.TokenCounter({ redis: url })
const count = counter.count(text)
console.log(JSON.stringify({ count, redis: counter.redisStats() }))
"""


def cli() -> str:
    path = os.environ.get("TOON_CLI")
    assert path and pathlib.Path(path).is_file(), "set TOON_CLI to the toon binary (scripts/test-shared-redis.sh does)"
    return path


def node_package() -> str:
    path = pathlib.Path(os.environ.get("TOON_NODE_DIR", REPO / "bindings" / "node")).resolve()
    assert list(path.glob("toon.*.node")), f"no built addon in {path}: run npm run build there"
    return str(path / "toon.js")


@pytest.fixture
def server():
    require_redis_server()
    server = RedisServer(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


def write(tmp_path: pathlib.Path, name: str, text: str) -> pathlib.Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def cli_count(path: pathlib.Path, url: str | None, *, env_url: str | None = None) -> int:
    args = [cli(), "tokens", str(path)] + (["--redis", url] if url else [])
    env = dict(os.environ)
    env.pop("TOON_REDIS_URL", None)
    if env_url:
        env["TOON_REDIS_URL"] = env_url
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def node_count(path: pathlib.Path, url: str) -> dict:
    done = subprocess.run(
        ["node", "-e", NODE_COUNT, node_package(), url, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def python_count(text: str, url: str) -> tuple[int, toon.RedisStats]:
    counter = toon.TokenCounter(redis=url)
    return counter.count(text), counter.redis_stats()


def keyspace_hits(server: RedisServer) -> int:
    info = resp(server.port, "INFO", "stats")
    return int(next(line for line in info.splitlines() if line.startswith("keyspace_hits:")).split(":")[1])


def test_cli_writes_python_and_node_hit(server, tmp_path):
    text = LONG + "written by the CLI"
    path = write(tmp_path, "cli.txt", text)
    exact = toon.TokenCounter(cache=False).count(text)

    assert cli_count(path, server.url) == exact
    assert server.keys("toon:tok:*") == [toon.RedisTier.key(text)]
    assert server.get(toon.RedisTier.key(text)) == str(exact)

    count, stats = python_count(text, server.url)
    assert count == exact
    assert (stats.hits, stats.misses, stats.writes) == (1, 0, 0)

    result = node_count(path, server.url)
    assert result["count"] == exact
    assert (result["redis"]["hits"], result["redis"]["misses"], result["redis"]["writes"]) == (1, 0, 0)
    assert result["redis"]["connected"] is True


def test_python_writes_cli_and_node_hit(server, tmp_path):
    text = LONG + "written by Python"
    path = write(tmp_path, "python.txt", text)
    count, stats = python_count(text, server.url)
    assert (stats.misses, stats.writes) == (1, 1)

    hits = keyspace_hits(server)
    assert cli_count(path, server.url) == count
    assert keyspace_hits(server) == hits + 1  # the CLI's GET found Python's key

    result = node_count(path, server.url)
    assert result["count"] == count
    assert (result["redis"]["hits"], result["redis"]["writes"]) == (1, 0)
    assert server.keys("toon:tok:*") == [toon.RedisTier.key(text)]


def test_node_writes_python_and_cli_hit(server, tmp_path):
    text = LONG + "written by Node"
    path = write(tmp_path, "node.txt", text)
    result = node_count(path, server.url)
    assert (result["redis"]["misses"], result["redis"]["writes"]) == (1, 1)
    assert server.keys("toon:tok:*") == [toon.RedisTier.key(text)]

    count, stats = python_count(text, server.url)
    assert count == result["count"]
    assert stats.hits == 1

    hits = keyspace_hits(server)
    # TOON_REDIS_URL stands for --redis.
    assert cli_count(path, None, env_url=server.url) == count
    assert keyspace_hits(server) == hits + 1


def test_conversions_are_shared_between_cli_and_python(server, tmp_path):
    document = json.dumps({"rows": [{"id": i, "name": f"user {i}"} for i in range(50)]})
    path = write(tmp_path, "rows.json", document)
    done = subprocess.run(
        [cli(), "convert", str(path), "--to", "toon", "-q", "--redis", server.url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    [key] = server.keys("toon:conv:*")
    assert server.get(key) == done.stdout
    try:
        toon.configure_conversion_cache(redis=server.url)
        assert toon.convert(document, "json", "toon") == done.stdout
        stats = toon.conversion_cache_stats()
        assert (stats.redis.hits, stats.redis.writes) == (1, 0)
    finally:
        toon.configure_conversion_cache(max_bytes=None)


def test_redis_down_every_front_end_counts_right(tmp_path):
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    text = LONG + "no Redis"
    path = write(tmp_path, "down.txt", text)
    exact = toon.TokenCounter(cache=False).count(text)

    assert cli_count(path, url) == exact
    count, stats = python_count(text, url)
    assert count == exact and stats.errors >= 1 and not stats.connected
    result = node_count(path, url)
    assert result["count"] == exact
    assert result["redis"]["errors"] >= 1 and result["redis"]["connected"] is False
