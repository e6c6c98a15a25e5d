"""FastAPI / Starlette integration: a ``text/toon`` response class, content negotiation on
``Accept`` (with q-values), and decoding of ``text/toon`` request bodies.

    from fastapi import Depends, FastAPI
    from toon.fastapi import ToonBody, negotiated

    app = FastAPI()

    @app.get("/users")
    def users(respond=Depends(negotiated)):
        return respond({"users": [{"id": 1, "name": "Ada"}]})

``negotiated`` answers JSON unless the client names ``text/toon`` (``Accept: */*`` stays
JSON, so adding TOON to a JSON endpoint breaks no existing client);
``Depends(negotiation(TOON_MEDIA_TYPE))`` makes TOON the default of a TOON-first route.

    @app.post("/echo")
    def echo(body=Depends(ToonBody())):
        return body

``add_metrics_route(app)`` serves the Prometheus text of the Rust metrics at
``/metrics``; from then on ``ToonResponse`` and ``negotiated`` count the bodies they send.
"""

from __future__ import annotations

from typing import Any, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from . import ToonDecodeError, decode, encode_bytes, install_metrics, metrics_text, record_response

TOON_MEDIA_TYPE = "text/toon"
JSON_MEDIA_TYPE = "application/json"

__all__ = [
    "JSON_MEDIA_TYPE",
    "METRICS_MEDIA_TYPE",
    "TOON_MEDIA_TYPE",
    "NotAcceptable",
    "ToonBody",
    "ToonResponse",
    "add_metrics_route",
    "choose_media_type",
    "metrics_route",
    "negotiated",
    "negotiation",
]

METRICS_MEDIA_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class ToonResponse(Response):
    """A response whose body is the TOON encoding of its content
    (``text/toon; charset=utf-8``)."""

    media_type = TOON_MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        body = encode_bytes(content)
        record_response(body, TOON_MEDIA_TYPE)
        return body


class _CountedJSONResponse(JSONResponse):
    """``JSONResponse`` whose body is counted in the response metrics."""

    def render(self, content: Any) -> bytes:
        body = super().render(content)
        record_response(body, JSON_MEDIA_TYPE)
        return body


def metrics_route() -> Response:
    """An endpoint answering the Prometheus text of the Rust metrics (``toon.metrics_text()``)."""
    return Response(metrics_text(), media_type=METRICS_MEDIA_TYPE)


def add_metrics_route(app: Any, path: str = "/metrics") -> None:
    """Serves :func:`metrics_route` at ``path`` of the FastAPI ``app`` (left out of the
    OpenAPI schema) and installs the recorder now, so every count, conversion and response
    from here on is in it."""
    install_metrics()
    app.add_api_route(path, metrics_route, methods=["GET"], include_in_schema=False)


def _parse_accept(header: str) -> list[tuple[str, float]]:
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _match(ranges: list[tuple[str, float]], media_type: str) -> tuple[float, bool]:
    """The q-value of the most specific range matching ``media_type`` (RFC 9110 §12.5.1),
    and whether that range names the type itself rather than a wildcard."""
    kind = media_type.split("/")[0]
    best, specificity = 0.0, -1
    for media, q in ranges:
        if media == media_type:
            rank = 2
        elif media == f"{kind}/*":
            rank = 1
        elif media == "*/*":
            rank = 0
        else:
            continue
        if rank > specificity:
            best, specificity = q, rank
    return best, specificity == 2


def choose_media_type(accept: str | None, default: str = JSON_MEDIA_TYPE) -> str | None:
    """``text/toon`` or ``application/json`` for an ``Accept`` header, or ``None`` when
    neither is acceptable.

    A type the client names beats one it only reaches through a wildcard (``*/*``,
    ``text/*``), so ``application/json, text/plain, */*`` (axios) stays JSON; between
    two named types, or two wildcard matches, the higher q-value wins; what is still a
    tie, and a missing header, goes to ``default`` (JSON unless the app or route is
    TOON-first). curl, requests, httpx and ``fetch`` send ``*/*`` and get ``default``.
    """
    if default not in (TOON_MEDIA_TYPE, JSON_MEDIA_TYPE):
        raise ValueError(f"default must be {TOON_MEDIA_TYPE!r} or {JSON_MEDIA_TYPE!r}")
    if not accept:
        return default
    ranges = _parse_accept(accept)
    other = TOON_MEDIA_TYPE if default == JSON_MEDIA_TYPE else JSON_MEDIA_TYPE
    default_q, default_named = _match(ranges, default)
    other_q, other_named = _match(ranges, other)
    candidates = [
        (named, q, media)
        for named, q, media in ((default_named, default_q, default), (other_named, other_q, other))
        if q > 0
    ]
    if not candidates:
        return None
    if any(named for named, _, _ in candidates):
        candidates = [c for c in candidates if c[0]]
    best_q = max(q for _, q, _ in candidates)
    winners = [media for _, q, media in candidates if q == best_q]
    return default if default in winners else winners[0]


class NotAcceptable(Exception):
    """Neither TOON nor JSON is acceptable to the client (HTTP 406)."""


def negotiation(default: str = JSON_MEDIA_TYPE) -> Callable[[Request], Callable[[Any], Response]]:
    """A FastAPI dependency like :func:`negotiated` whose server default (for ``*/*``,
    ties and a missing ``Accept``) is ``default``: ``negotiation(TOON_MEDIA_TYPE)`` for a
    TOON-first app or route."""
    choose_media_type(None, default)  # validates `default` now, not on the first request

    def dependency(request: Request) -> Callable[[Any], Response]:
        media_type = choose_media_type(request.headers.get("accept"), default)

        def respond(content: Any, status_code: int = 200) -> Response:
            headers = {"Vary": "Accept"}
            if media_type is None:
                return Response(
                    "acceptable media types: text/toon, application/json",
                    status_code=406,
                    headers=headers,
                    media_type="text/plain",
                )
            if media_type == TOON_MEDIA_TYPE:
                return ToonResponse(content, status_code=status_code, headers=headers)
            return _CountedJSONResponse(content, status_code=status_code, headers=headers)

        return respond

    return dependency


negotiated = negotiation()
negotiated.__doc__ = """A FastAPI dependency returning ``respond(content)``: a TOON or JSON
response chosen by the request's ``Accept`` header (see :func:`choose_media_type`; JSON for
``*/*`` and a missing header), with ``Vary: Accept``; 406 when neither fits."""


class ToonBody:
    """A FastAPI dependency that decodes the request body: ``text/toon`` with this
    package, ``application/json`` (or no content type) with the JSON decoder. Invalid
    TOON is a 400 response naming the line and column."""

    def __init__(self, strict: bool = True) -> None:
        self.strict = strict

    async def __call__(self, request: Request) -> Any:
        from fastapi import HTTPException

        body = await request.body()
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == TOON_MEDIA_TYPE:
            try:
                return decode(body, strict=self.strict)
            except ToonDecodeError as error:
                raise HTTPException(
                    status_code=400,
                    detail={"error": str(error), "line": error.line, "column": error.column},
                ) from error
        import json

        try:
            return json.loads(body) if body else None
        except json.JSONDecodeError as error:
            raise HTTPException(status_code=400, detail={"error": str(error)}) from error
