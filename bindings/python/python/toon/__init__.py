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

from typing import Any, Callable

from . import _toon
from ._toon import (
    CacheStats,
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
)

__all__ = [
    "CacheStats",
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
    "encode_async",
    "loads",
    "savings",
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
    it sits.
    """
    return _toon.encode(obj, delimiter=delimiter, indent=indent, default=default)


def decode(text: str | bytes, *, strict: bool = True, indent: int = 2) -> Any:
    """Decode TOON text into dicts, lists and primitives.

    Raises ``ToonDecodeError`` (a ``ValueError``) with ``line``, ``column`` and
    ``snippet`` on invalid input. ``strict=False`` applies the spec's five recoveries.
    """
    return _toon.decode(text, strict=strict, indent=indent)


def dumps(obj: Any, **kwargs: Any) -> str:
    """Alias of :func:`encode`, for ``json`` module habits."""
    return encode(obj, **kwargs)


def loads(text: str | bytes, **kwargs: Any) -> Any:
    """Alias of :func:`decode`, for ``json`` module habits."""
    return decode(text, **kwargs)
