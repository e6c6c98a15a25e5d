"""The Redis tiers from Python against a real `redis-server` that the tests start on a free
port: token counts and conversions shared between counters and caches (as between
processes) under the keys Rust uses, counting correct while Redis is down, and the tier
reconnecting when it is back.

`redis-server` must be installed (`scripts/test-all.sh` installs it); without it these
tests fail, unless `TOON_SKIP_REDIS=1` says to skip them. The three-language test (the
CLI, Python and Node on one Redis) is `scripts/test_shared_redis.py`, which uses the
helpers here.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest

import toon

SKIP_REDIS_REQUESTED = os.environ.get("TOON_SKIP_REDIS") == "1"

# Texts of 1 KiB or more go through the tier with its default settings.
LONG = "".join(f"line {i}: the quick brown fox jumps over {i * 7} lazy dogs.\n" for i in range(40))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def resp(port: int, *args: str) -> object:
    """One command over a plain socket (RESP), for checking what the tiers wrote."""
    payload = f"*{len(args)}\r\n" + "".join(f"${len(a.encode())}\r\n{a}\r\n" for a in args)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(payload.encode())
        reader = s.makefile("rb")
        return _read_reply(reader)


def _read_reply(reader) -> object:
    line = reader.readline().rstrip(b"\r\n")
    kind, rest = line[:1], line[1:]
    if kind == b"+":
        return rest.decode()
    if kind == b"-":
        raise RuntimeError(rest.decode())
    if kind == b":":
        return int(rest)
    if kind == b"$":
        size = int(rest)
        if size < 0:
            return None
        data = reader.read(size + 2)[:-2]
        return data.decode()
    if kind == b"*":
        return [_read_reply(reader) for _ in range(int(rest))]
    raise RuntimeError(f"unexpected reply {line!r}")


class RedisServer:
    """A `redis-server` child on `port` (no persistence); `stop()` kills it, `start()`
    starts it again on the same port."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                if resp(self.port, "PING") == "PONG":
                    return
            except OSError:
                pass
            assert time.monotonic() < deadline, "redis-server did not answer within 10 s"
            time.sleep(0.02)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def keys(self, pattern: str) -> list[str]:
        return sorted(resp(self.port, "KEYS", pattern))

    def get(self, key: str) -> str | None:
        return resp(self.port, "GET", key)


def require_redis_server() -> None:
    """Fails when `redis-server` is missing, or skips on `TOON_SKIP_REDIS=1`."""
    if shutil.which("redis-server"):
        return
    if SKIP_REDIS_REQUESTED:
        pytest.skip("redis-server is not installed; skipped because TOON_SKIP_REDIS=1")
    pytest.fail(
        "redis-server is not installed: install it (apt-get install -y redis-server; "
        "scripts/test-all.sh does) or set TOON_SKIP_REDIS=1 to skip the Redis tests"
    )


@pytest.fixture
def redis_server():
    require_redis_server()
    server = RedisServer(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


def quick_tier(url: str) -> toon.RedisTier:
    """A tier that handles every text and retries soon after an error."""
    return toon.RedisTier(url, min_text_bytes=0, retry_min=0.05, retry_max=0.2, io_timeout=0.5)


def test_counts_are_shared_under_the_rust_keys(redis_server):
    first = toon.TokenCounter("o200k_base", redis=redis_server.url)
    second = toon.TokenCounter("o200k_base", redis=toon.RedisTier(redis_server.url))
    exact = toon.TokenCounter(cache=False).count(LONG)

    assert first.count(LONG) == exact
    stats = first.redis_stats()
    assert (stats.hits, stats.misses, stats.writes, stats.errors) == (0, 1, 1, 0)
    assert stats.connected

    key = toon.RedisTier.key(LONG)
    assert key.startswith("toon:tok:v1:o200k_base:") and len(key) == len("toon:tok:v1:o200k_base:") + 32
    assert redis_server.keys("toon:tok:*") == [key]
    assert redis_server.get(key) == str(exact)

    # Another counter (another process, as far as Redis can tell) hits the entry.
    assert second.count(LONG) == exact
    stats = second.redis_stats()
    assert (stats.hits, stats.misses, stats.writes) == (1, 0, 0)
    assert stats.hit_rate == 1.0
    # Its local cache has it now: no second round trip.
    assert second.count(LONG) == exact
    assert second.redis_stats().hits == 1
    assert second.cache_stats().hits == 1


def test_short_texts_and_other_encodings_stay_apart(redis_server):
    counter = toon.TokenCounter("cl100k_base", redis=redis_server.url)
    assert counter.count("short text") == toon.count_tokens("short text", "cl100k_base")
    assert redis_server.keys("toon:tok:*") == []  # below the 1 KiB threshold
    counter.count(LONG)
    assert redis_server.keys("toon:tok:*") == [toon.RedisTier.key(LONG, "cl100k_base")]
    assert toon.RedisTier.key(LONG, "cl100k_base") != toon.RedisTier.key(LONG)


def test_count_batch_goes_through_redis(redis_server):
    texts = [f"{LONG}#{i}" for i in range(5)]
    writer = toon.TokenCounter(redis=redis_server.url)
    expected = [toon.count_tokens(t) for t in texts]
    assert writer.count_batch(texts) == expected
    assert writer.redis_stats().writes == 5
    reader = toon.TokenCounter(redis=redis_server.url)
    assert reader.count_batch(texts) == expected
    assert reader.redis_stats().hits == 5


def test_redis_down_counts_stay_correct():
    port = free_port()  # nothing listens there
    counter = toon.TokenCounter(redis=quick_tier(f"redis://127.0.0.1:{port}/0"))
    texts = [f"{LONG}{i}" for i in range(20)]
    assert [counter.count(t) for t in texts] == [toon.count_tokens(t) for t in texts]
    stats = counter.redis_stats()
    assert not stats.connected
    assert (stats.hits, stats.misses, stats.writes, stats.connects) == (0, 0, 0, 0)
    assert stats.errors >= 1
    # Every lookup and write was a failed attempt or skipped by the back-off.
    assert stats.errors + stats.skipped == 2 * len(texts)


def test_bad_arguments():
    with pytest.raises(ValueError, match="invalid Redis URL"):
        toon.TokenCounter(redis="http://example.com")
    with pytest.raises(TypeError, match="redis="):
        toon.TokenCounter(redis=6379)
    with pytest.raises(ValueError, match="retry_min"):
        toon.RedisTier("redis://127.0.0.1/", retry_min=-1)


def test_reconnects_when_redis_is_back(redis_server):
    tier = quick_tier(redis_server.url)
    counter = toon.TokenCounter(cache=False, redis=tier)
    counter.count(LONG + "before")
    assert tier.stats().connects == 1

    redis_server.stop()
    assert counter.count(LONG + "during") == toon.count_tokens(LONG + "during")
    assert tier.stats().errors >= 1
    assert not tier.connected

    redis_server.start()
    deadline = time.monotonic() + 10
    i = 0
    while tier.stats().connects < 2:
        assert time.monotonic() < deadline, f"no reconnect within 10 s: {tier.stats()!r}"
        counter.count(f"{LONG}after {i}")
        i += 1
        time.sleep(0.02)
    assert tier.connected
    # The tier fills again: the restarted server (no persistence) holds what came after.
    assert redis_server.keys("toon:tok:*"), tier.stats()


def test_conversion_cache_is_shared(redis_server):
    document = '{"users": [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Bo"}]}'
    expected = toon.convert(document, "json", "toon")
    try:
        toon.configure_conversion_cache(redis=redis_server.url)
        assert toon.convert(document, "json", "toon") == expected
        stats = toon.conversion_cache_stats()
        assert (stats.hits, stats.misses, stats.entries) == (0, 1, 1)
        assert (stats.redis.misses, stats.redis.writes) == (1, 1)
        [key] = redis_server.keys("toon:conv:*")
        assert key.startswith("toon:conv:v1:") and len(key) == len("toon:conv:v1:") + 32
        assert redis_server.get(key) == expected

        # A fresh local cache (another process): the output comes from Redis. A planted
        # value proves it is read there, not converted again.
        resp(redis_server.port, "SET", key, "planted: 1\n")
        toon.configure_conversion_cache(redis=toon.RedisTier(redis_server.url))
        assert toon.convert(document, "json", "toon") == "planted: 1\n"
        stats = toon.conversion_cache_stats()
        assert (stats.hits, stats.misses, stats.redis.hits) == (0, 1, 1)
        # Then from the local cache.
        assert toon.convert(document, "json", "toon") == "planted: 1\n"
        assert toon.conversion_cache_stats().hits == 1

        # Redis down: conversions go on.
        redis_server.stop()
        toon.configure_conversion_cache(redis=quick_tier(redis_server.url))
        assert toon.convert(document, "json", "toon") == expected
        stats = toon.conversion_cache_stats()
        assert stats.redis.errors >= 1 and not stats.redis.connected
    finally:
        toon.configure_conversion_cache(max_bytes=None)
    stats = toon.conversion_cache_stats()
    assert (stats.capacity_bytes, stats.redis) == (0, None)
