"""TOON (Token-Oriented Object Notation) for Python, backed by the Rust ``toon`` crate.

>>> import toon
>>> toon.encode({"users": [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Bo"}]})
'users[2]{id,name}:\\n  1,Ada\\n  2,Bo'
>>> toon.decode("tags[2]: a,b")
{'tags': ['a', 'b']}
>>> toon.count_tokens("Hello, world!")
4
>>> toon.convert('{"a": [1, 2]}', "json", "toon")
'a[2]: 1,2\\n'
"""

from __future__ import annotations

from typing import Any, AsyncIterable, AsyncIterator, Callable, Iterable, Iterator

from . import _toon
from ._toon import (
    CacheStats,
    ChunkDecoder,
    Part,
    ConversionCacheStats,
    RedisStats,
    RedisTier,
    Repair,
    Repaired,
    Truncated,
    ConverterInfo,
    ConvertError,
    Savings,
    TokenCounter,
    ToonDecodeError,
    configure_conversion_cache,
    conversion_cache_stats,
    convert,
    convert_async,
    converters,
    count_tokens,
    count_tokens_async,
    install_metrics,
    metrics_text,
    record_response,
    repair,
    decode_async,
    encode_async,
    savings,
    Candidate,
    Choice,
    Cut,
    Fitted,
    Template,
    ToonBudgetError,
    Violation,
    encode_auto,
    encode_sections,
    fit_to_budget,
)

__all__ = [
    "CacheStats",
    "ChunkDecoder",
    "Part",
    "RowStream",
    "stream_rows",
    "ConversionCacheStats",
    "RedisStats",
    "RedisTier",
    "Repair",
    "Repaired",
    "Truncated",
    "ConvertError",
    "ConverterInfo",
    "Savings",
    "TokenCounter",
    "ToonDecodeError",
    "__version__",
    "configure_conversion_cache",
    "conversion_cache_stats",
    "convert",
    "convert_async",
    "converters",
    "count_tokens",
    "count_tokens_async",
    "install_metrics",
    "metrics_text",
    "record_response",
    "repair",
    "decode",
    "decode_async",
    "dumps",
    "encode",
    "encode_bytes",
    "encode_async",
    "loads",
    "savings",
    "Candidate",
    "Choice",
    "Cut",
    "Fitted",
    "Template",
    "ToonBudgetError",
    "Violation",
    "encode_auto",
    "encode_sections",
    "fit_to_budget",
]
__version__: str = _toon.__version__


def encode(
    obj: Any,
    *,
    delimiter: str = ",",
    indent: int = 2,
    default: Callable[[Any], Any] | None = None,
) -> str:
    """Encode ``obj`` as TOON text.

    ``delimiter`` is ``","`` (default), ``"\\t"`` or ``"|"`` (or ``"comma"``, ``"tab"``,
    ``"pipe"``); ``indent`` is the number of spaces per level. dict, list, tuple, str,
    int (any size), float, bool and None are native; dataclasses, pydantic models,
    datetime/date/time (ISO text), enums (their value), sets, Decimal and UUID are
    normalised like the reference implementation does; anything else is passed to
    ``default`` (like ``json.dumps``) or raises ``TypeError`` naming the type and where
    it sits. A table with an Arrow C stream (``__arrow_c_stream__``: pyarrow, polars,
    pandas >= 2.2) is written from its columns, as the same rows as objects would be.
    """
    return _toon.encode(obj, delimiter=delimiter, indent=indent, default=default)


def encode_bytes(
    obj: Any,
    *,
    delimiter: str = ",",
    indent: int = 2,
    default: Callable[[Any], Any] | None = None,
) -> bytes:
    """Encode ``obj`` as TOON and return UTF-8 ``bytes``, as ``orjson.dumps`` does.

    The same text as :func:`encode` (same options, same errors) without building a
    ``str``: the form an HTTP body or a file written in binary mode needs.
    """
    return _toon.encode_bytes(obj, delimiter=delimiter, indent=indent, default=default)


def decode(
    text: str | bytes, *, strict: bool = True, indent: int = 2, as_: str | None = None
) -> Any:
    """Decode TOON text into dicts, lists and primitives.

    Raises ``ToonDecodeError`` (a ``ValueError``) with ``line``, ``column`` and
    ``snippet`` on invalid input. ``strict=False`` applies the spec's five recoveries.

    ``as_="arrow"``, ``"polars"`` or ``"pandas"`` decodes a table (an array of objects)
    into a ``pyarrow.Table``, a polars or a pandas ``DataFrame`` through Arrow, column
    types inferred as ``pyarrow.Table.from_pylist`` infers them; a value that is not a
    table, or a column mixing strings and numbers, raises ``ValueError``.
    """
    if as_ is None:
        return _toon.decode(text, strict=strict, indent=indent)
    if as_ not in ("arrow", "polars", "pandas"):
        raise ValueError(f"as_ must be 'arrow', 'polars' or 'pandas', not {as_!r}")
    stream = _toon.decode_arrow(text, strict=strict, indent=indent)
    if as_ == "polars":
        import polars

        return polars.DataFrame(stream)
    import pyarrow

    table = pyarrow.table(stream)
    return table if as_ == "arrow" else table.to_pandas()


def dumps(obj: Any, **kwargs: Any) -> str:
    """Alias of :func:`encode`, for ``json`` module habits."""
    return encode(obj, **kwargs)


def loads(text: str | bytes, **kwargs: Any) -> Any:
    """Alias of :func:`decode`, for ``json`` module habits."""
    return decode(text, **kwargs)


class RowStream:
    """The parts of a TOON text that arrives in chunks, as each is finished.

    Iterate it (``for part in stream``) over a sync iterable of chunks, or with
    ``async for`` over an async (or sync) iterable. Each item is a :class:`Part`:
    ``part.value`` is a table row, list item or primitive field, ``part.path`` where it
    sits (``users[3]``). After the last part, ``value`` holds the whole value,
    ``repairs`` the fixes (``repair=True``) and ``truncated`` what is missing; text
    that ended early raises ``ToonDecodeError`` (category ``"truncated"``) whose
    ``partial`` is the value that arrived and ``truncated`` what is missing.
    """

    def __init__(
        self,
        chunks: Iterable[str | bytes] | AsyncIterable[str | bytes],
        decoder: ChunkDecoder,
    ) -> None:
        self._chunks = chunks
        self._decoder = decoder
        self.value: Any = None
        self.repairs: list[Repair] = []
        self.truncated: Truncated | None = None

    def __iter__(self) -> Iterator[Part]:
        if not hasattr(self._chunks, "__iter__"):
            raise TypeError("an async iterable of chunks needs `async for`")
        for chunk in self._chunks:  # type: ignore[union-attr]
            yield from self._decoder.feed(chunk)
        yield from self._end()

    async def __aiter__(self) -> AsyncIterator[Part]:
        if hasattr(self._chunks, "__aiter__"):
            async for chunk in self._chunks:  # type: ignore[union-attr]
                for part in self._decoder.feed(chunk):
                    yield part
        else:
            for chunk in self._chunks:  # type: ignore[union-attr]
                for part in self._decoder.feed(chunk):
                    yield part
        for part in self._end():
            yield part

    def _end(self) -> Iterator[Part]:
        """The parts the end of the text finishes; then the cut, if any, is raised."""
        parts, end, cut = self._decoder.finish()
        self.value, self.repairs, self.truncated = end.value, end.repairs, end.truncated
        yield from parts
        if cut is not None:
            raise cut


def stream_rows(
    chunks: Iterable[str | bytes] | AsyncIterable[str | bytes],
    *,
    indent: int = 2,
    strict: bool = True,
    repair: bool = False,
    keep_rows: bool = True,
) -> RowStream:
    """Decode TOON as it arrives (a model's streamed reply), yielding each finished part.

    ``chunks`` may split lines and characters anywhere. ``repair=True`` reads a model's
    reply as :func:`repair` does (fence, miscounts, trailing delimiters), reporting each
    fix in ``repairs``; ``keep_rows=False`` keeps memory bounded by the longest line
    (the final ``value`` then holds the streamed arrays empty).

    >>> import toon
    >>> [part.value for part in toon.stream_rows(["rows[2]{a}:\\n  1\\n", "  2\\n"])]
    [{'a': 1}, {'a': 2}]
    """
    decoder = ChunkDecoder(indent=indent, strict=strict, repair=repair, keep_rows=keep_rows)
    return RowStream(chunks, decoder)
