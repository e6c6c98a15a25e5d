"""Metrics: the Prometheus text of the Rust recorder through `toon.metrics_text()`, and a
real FastAPI app (uvicorn on 127.0.0.1, in a child process of its own, so its counters
start from zero) whose `/metrics` moves by exactly what its requests did."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request

import pytest

import toon

USERS = {"users": [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Bo"}]}

SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$")
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse(text: str) -> dict[tuple[str, frozenset], float]:
    """Samples of Prometheus text by (name, labels)."""
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        assert match, f"not a sample line: {line!r}"
        name, labels, value = match.groups()
        samples[(name, frozenset(LABEL.findall(labels or "")))] = float(value)
    return samples


def value(samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_metrics_text_is_the_rust_recorder():
    toon.install_metrics()
    before = parse(toon.metrics_text())
    counter = toon.TokenCounter("cl100k_base")
    tokens = counter.count("metrics_text check") + counter.count("metrics_text check")
    toon.convert('{"a": 1}', "json", "toon")
    text = toon.metrics_text()
    after = parse(text)
    assert "# TYPE toon_tokens_counted_total counter" in text
    name = "toon_tokens_counted_total"
    assert value(after, name, encoding="cl100k_base") - value(before, name, encoding="cl100k_base") == tokens
    name = "toon_conversions_total"
    labels = {"source": "json", "target": "toon", "outcome": "ok"}
    assert value(after, name, **labels) - value(before, name, **labels) == 1
    assert "# TYPE toon_conversion_duration_seconds histogram" in text


def test_record_response_checks_its_arguments():
    with pytest.raises(ValueError, match="media_type"):
        toon.record_response("a: 1", "text/html")
    with pytest.raises(TypeError):
        toon.record_response(1, "text/toon")


APP = textwrap.dedent(
    """
    from fastapi import Body, Depends, FastAPI

    import toon
    from toon.fastapi import ToonResponse, add_metrics_route, negotiated

    USERS = {"users": [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Bo"}]}

    app = FastAPI()
    add_metrics_route(app)
    toon.configure_conversion_cache()

    @app.get("/toon", response_class=ToonResponse)
    def always_toon():
        return ToonResponse(USERS)

    @app.get("/users")
    def users(respond=Depends(negotiated)):
        return respond(USERS)

    @app.post("/convert")
    def convert(document: str = Body(..., media_type="text/plain")):
        return {"toon": toon.convert(document, "json", "toon")}
    """
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, accept: str = "*/*", data: bytes | None = None) -> tuple[str, bytes]:
    headers = {"Accept": accept}
    if data is not None:
        headers["Content-Type"] = "text/plain"
    request = urllib.request.Request(url, headers=headers, data=data)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers["Content-Type"], response.read()


@pytest.fixture
def server(tmp_path):
    pytest.importorskip("uvicorn")
    (tmp_path / "metrics_app.py").write_text(APP)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "metrics_app:app", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=tmp_path,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                fetch(base + "/metrics")
                break
            except OSError:
                assert process.poll() is None, "uvicorn exited"
                assert time.monotonic() < deadline, "uvicorn did not answer within 30 s"
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_fastapi_metrics_move_by_what_was_sent(server):
    content_type, before_text = fetch(server + "/metrics")
    assert content_type.startswith("text/plain")
    before = parse(before_text.decode())

    toon_bodies = [fetch(server + "/toon")[1] for _ in range(3)]
    toon_bodies.append(fetch(server + "/users", accept="text/toon")[1])
    json_bodies = [fetch(server + "/users")[1] for _ in range(2)]
    document = json.dumps(USERS)
    for _ in range(2):
        fetch(server + "/convert", data=document.encode())

    after = parse(fetch(server + "/metrics")[1].decode())

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    toon_text = toon.encode(USERS)
    assert all(body.decode() == toon_text for body in toon_bodies)
    compact = json.dumps(USERS, separators=(",", ":"))
    toon_tokens, json_tokens = toon.count_tokens(toon_text), toon.count_tokens(compact)

    # Four TOON responses (ToonResponse three times, negotiated once) and three JSON ones:
    # two from negotiated, one from /convert (a plain FastAPI response, not counted).
    assert delta("toon_responses_total", format="toon") == 4
    assert delta("toon_responses_total", format="json") == 2
    assert delta("toon_response_bytes_total", format="toon") == sum(map(len, toon_bodies))
    assert delta("toon_response_bytes_total", format="json") == sum(map(len, json_bodies))
    assert delta("toon_response_tokens_total", format="toon", encoding="o200k_base") == 4 * toon_tokens
    assert delta("toon_response_tokens_total", format="json", encoding="o200k_base") == 2 * json_tokens
    # Each TOON response is compared with the compact JSON it replaces.
    assert delta("toon_tokens_saved_total", encoding="o200k_base") == 4 * (json_tokens - toon_tokens)
    assert delta("toon_tokens_counted_total", encoding="o200k_base") == 4 * (toon_tokens + json_tokens) + 2 * json_tokens
    # The two texts were new to the process-wide cache once; every other count hit it.
    assert delta("toon_token_cache_misses_total", tier="local") == 2
    assert delta("toon_token_cache_hits_total", tier="local") == 3 * 2 + 2
    hits = value(after, "toon_token_cache_hits_total", tier="local")
    misses = value(after, "toon_token_cache_misses_total", tier="local")
    assert value(after, "toon_token_cache_hit_ratio", tier="local") == pytest.approx(hits / (hits + misses))

    # The same document converted twice: once, then from the conversion cache.
    labels = {"source": "json", "target": "toon"}
    assert delta("toon_conversions_total", outcome="ok", **labels) == 1
    assert delta("toon_conversions_total", outcome="cached", **labels) == 1
    assert delta("toon_conversion_cache_misses_total", tier="local") == 1
    assert delta("toon_conversion_cache_hits_total", tier="local") == 1
    assert delta("toon_conversion_duration_seconds_count", **labels) == 2
    assert delta("toon_conversion_duration_seconds_bucket", le="+Inf", **labels) == 2
