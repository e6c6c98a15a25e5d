"""FastAPI / Starlette integration: a ``text/toon`` response class, content negotiation on
``Accept`` (with q-values), and decoding of ``text/toon`` request bodies.

    from fastapi import Depends, FastAPI
    from toon.fastapi import ToonBody, negotiated

    app = FastAPI()

    @app.get("/users")
    def users(respond=Depends(negotiated)):
        return respond({"users": [{"id": 1, "name": "Ada"}]})

    @app.post("/echo")
    def echo(body=Depends(ToonBody())):
        return body
"""

from __future__ import annotations

from typing import Any, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from . import ToonDecodeError, decode, encode

TOON_MEDIA_TYPE = "text/toon"
JSON_MEDIA_TYPE = "application/json"

__all__ = [
    "JSON_MEDIA_TYPE",
    "TOON_MEDIA_TYPE",
    "NotAcceptable",
    "ToonBody",
    "ToonResponse",
    "choose_media_type",
    "negotiated",
]


class ToonResponse(Response):
    """A response whose body is the TOON encoding of its content
    (``text/toon; charset=utf-8``)."""

    media_type = TOON_MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        return encode(content).encode("utf-8")


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


def _quality(ranges: list[tuple[str, float]], media_type: str) -> float:
    """The q-value of the most specific range matching ``media_type`` (RFC 9110 §12.5.1)."""
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
    return best


def choose_media_type(accept: str | None) -> str | None:
    """``text/toon`` or ``application/json`` for an ``Accept`` header, or ``None`` when
    neither is acceptable. No header means JSON; ties prefer TOON."""
    if not accept:
        return JSON_MEDIA_TYPE
    ranges = _parse_accept(accept)
    toon_q = _quality(ranges, TOON_MEDIA_TYPE)
    json_q = _quality(ranges, JSON_MEDIA_TYPE)
    if toon_q <= 0 and json_q <= 0:
        return None
    return TOON_MEDIA_TYPE if toon_q >= json_q else JSON_MEDIA_TYPE


class NotAcceptable(Exception):
    """Neither TOON nor JSON is acceptable to the client (HTTP 406)."""


def negotiated(request: Request) -> Callable[[Any], Response]:
    """A FastAPI dependency returning ``respond(content)``: a TOON or JSON response chosen
    by the request's ``Accept`` header, with ``Vary: Accept``; 406 when neither fits."""
    media_type = choose_media_type(request.headers.get("accept"))

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
        return JSONResponse(content, status_code=status_code, headers=headers)

    return respond


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
