"""FastAPI integration: ToonResponse, Accept negotiation with q-values, text/toon bodies,
in process (TestClient) and over a real socket (uvicorn on 127.0.0.1)."""

import json
import socket
import threading
import time
import urllib.request

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

import toon
from toon.fastapi import (
    TOON_MEDIA_TYPE,
    ToonBody,
    ToonResponse,
    choose_media_type,
    negotiated,
    negotiation,
)

USERS = {"users": [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Bo"}]}


def make_app() -> FastAPI:
    app = FastAPI()

    @app.get("/toon", response_class=ToonResponse)
    def always_toon():
        return ToonResponse(USERS)

    @app.get("/users")
    def users(respond=Depends(negotiated)):
        return respond(USERS)

    @app.get("/toon-first")
    def toon_first(respond=Depends(negotiation(TOON_MEDIA_TYPE))):
        return respond(USERS)

    @app.post("/echo")
    def echo(body=Depends(ToonBody()), respond=Depends(negotiated)):
        return respond(body)

    return app


@pytest.fixture()
def client():
    return TestClient(make_app())


def test_toon_response(client):
    response = client.get("/toon")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/toon; charset=utf-8"
    assert response.text == toon.encode(USERS)


# The Accept headers real clients send, as of their current releases.
CURL = "*/*"
REQUESTS = "*/*"
HTTPX = "*/*"
FETCH = "*/*"
AXIOS = "application/json, text/plain, */*"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8"


@pytest.mark.parametrize(
    "accept,expected",
    [
        (None, "application/json"),
        ("", "application/json"),
        (CURL, "application/json"),
        (REQUESTS, "application/json"),
        (HTTPX, "application/json"),
        (FETCH, "application/json"),
        (AXIOS, "application/json"),
        (BROWSER, "application/json"),
        ("text/toon", "text/toon"),
        ("application/json", "application/json"),
        ("text/toon, application/json", "application/json"),
        ("text/toon;q=0.5, application/json", "application/json"),
        ("text/toon, application/json;q=0.9", "text/toon"),
        ("text/toon, */*", "text/toon"),
        ("text/toon;q=0.2, */*", "text/toon"),
        ("text/*;q=0.8, application/json;q=0.5", "application/json"),
        ("text/*, application/*;q=0.5", "text/toon"),
        ("text/*", "text/toon"),
        ("text/html", None),
        ("text/toon;q=0, application/json;q=0", None),
        ("text/toon;q=0, */*", "application/json"),
    ],
)
def test_choose_media_type(accept, expected):
    assert choose_media_type(accept) == expected


@pytest.mark.parametrize(
    "accept,expected",
    [
        (None, "text/toon"),
        (CURL, "text/toon"),
        (AXIOS, "application/json"),
        ("text/toon, application/json", "text/toon"),
        ("application/json;q=0.9, text/toon", "text/toon"),
        ("application/json, text/toon;q=0.5", "application/json"),
    ],
)
def test_a_toon_first_default(accept, expected):
    assert choose_media_type(accept, default="text/toon") == expected


def test_a_default_must_be_toon_or_json():
    with pytest.raises(ValueError, match="default must be"):
        negotiation("text/html")


def test_existing_json_clients_keep_json_over_the_app(client):
    for accept in (CURL, AXIOS, BROWSER):
        response = client.get("/users", headers={"Accept": accept})
        assert response.headers["content-type"] == "application/json", accept
        assert response.json() == USERS
    toon_first = client.get("/toon-first", headers={"Accept": CURL})
    assert toon_first.headers["content-type"].startswith("text/toon")
    assert toon.decode(toon_first.text) == USERS


def test_negotiation_over_the_app(client):
    toon_response = client.get("/users", headers={"Accept": "text/toon"})
    assert toon_response.headers["content-type"].startswith("text/toon")
    assert toon_response.headers["vary"] == "Accept"
    assert toon.decode(toon_response.text) == USERS
    json_response = client.get("/users", headers={"Accept": "application/json;q=1, text/toon;q=0.1"})
    assert json_response.json() == USERS
    assert client.get("/users", headers={"Accept": "image/png"}).status_code == 406


def test_toon_request_bodies(client):
    body = toon.encode(USERS)
    response = client.post("/echo", content=body, headers={"Content-Type": "text/toon", "Accept": "application/json"})
    assert response.status_code == 200
    assert response.json() == USERS
    bad = client.post("/echo", content="rows[1]{a,b}:\n  1", headers={"Content-Type": "text/toon"})
    assert bad.status_code == 400
    assert bad.json()["detail"]["line"] == 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_over_a_real_socket():
    uvicorn = pytest.importorskip("uvicorn")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(make_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.time() + 10
        while not server.started and time.time() < deadline:
            time.sleep(0.05)
        assert server.started
        request = urllib.request.Request(f"http://127.0.0.1:{port}/users", headers={"Accept": "text/toon"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.headers["Content-Type"].startswith("text/toon")
            assert toon.decode(response.read()) == USERS
        # What curl, requests, httpx and fetch send: the JSON they expect.
        request = urllib.request.Request(f"http://127.0.0.1:{port}/users", headers={"Accept": "*/*"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.headers["Content-Type"] == "application/json"
            assert json.loads(response.read()) == USERS
    finally:
        server.should_exit = True
        thread.join(timeout=5)
