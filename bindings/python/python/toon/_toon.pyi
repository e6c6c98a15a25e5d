import os
from typing import Any, Callable, Sequence, final

__version__: str

class ToonDecodeError(ValueError):
    line: int
    column: int
    snippet: str | None
    category: str
    path: str | None
    hint: str | None
    expected: str | None
    found: str | None
    # Set on the "truncated" error a cut-off toon.stream_rows raises.
    partial: Any
    truncated: Truncated | None

class ConvertError(ValueError):
    line: int
    column: int
    snippet: str | None
    converter: str
    category: str | None
    path: str | None
    hint: str | None
    expected: str | None
    found: str | None
    source: str
    target: str

def encode(
    obj: Any,
    *,
    delimiter: str = ",",
    indent: int = 2,
    default: Callable[[Any], Any] | None = None,
) -> str: ...
def encode_bytes(
    obj: Any,
    *,
    delimiter: str = ",",
    indent: int = 2,
    default: Callable[[Any], Any] | None = None,
) -> bytes: ...
def decode(text: str | bytes, *, strict: bool = True, indent: int = 2) -> Any: ...
def decode_arrow(text: str | bytes, *, strict: bool = True, indent: int = 2) -> Any: ...
@final
class Repair:
    line: int
    column: int
    found: str
    done: str

@final
class Truncated:
    line: int
    column: int
    missing: list[str]

@final
class Repaired:
    value: Any
    repairs: list[Repair]
    truncated: Truncated | None
    found_in: str

def repair(reply: str | bytes, *, indent: int = 2, fence: int | None = None) -> Repaired: ...
@final
class Part:
    path: str
    parent: str
    index: int | None
    key: str | None
    value: Any

@final
class ChunkDecoder:
    def __init__(
        self, *, indent: int = 2, strict: bool = True, repair: bool = False, keep_rows: bool = True
    ) -> None: ...
    def feed(self, chunk: str | bytes | bytearray) -> list[Part]: ...
    def finish(self) -> tuple[list[Part], Repaired, ToonDecodeError | None]: ...

def count_tokens(text: str, encoding: str = "o200k_base") -> int: ...
def savings(
    data: Any,
    toon_text: str | None = None,
    *,
    encoding: str = "o200k_base",
) -> Savings: ...
def convert(
    data_or_path: str | bytes | bytearray | os.PathLike[str],
    source: str | None = None,
    target: str = "toon",
) -> str: ...
def converters() -> list[ConverterInfo]: ...
async def encode_async(
    obj: Any,
    *,
    delimiter: str = ",",
    indent: int = 2,
    default: Callable[[Any], Any] | None = None,
) -> str: ...
async def decode_async(text: str | bytes, *, strict: bool = True, indent: int = 2) -> Any: ...
async def count_tokens_async(text: str, encoding: str = "o200k_base") -> int: ...
async def convert_async(
    data_or_path: str | bytes | bytearray | os.PathLike[str],
    source: str | None = None,
    target: str = "toon",
) -> str: ...
@final
class CacheStats:
    @property
    def hits(self) -> int: ...
    @property
    def misses(self) -> int: ...
    @property
    def evictions(self) -> int: ...
    @property
    def hit_rate(self) -> float: ...
    @property
    def entries(self) -> int: ...
    @property
    def bytes(self) -> int: ...
    @property
    def max_entries(self) -> int: ...
    @property
    def max_bytes(self) -> int: ...

@final
class Savings:
    @property
    def encoding(self) -> str: ...
    @property
    def json_tokens(self) -> int: ...
    @property
    def toon_tokens(self) -> int: ...
    @property
    def json_bytes(self) -> int: ...
    @property
    def toon_bytes(self) -> int: ...
    @property
    def saved_tokens(self) -> int: ...
    @property
    def saved_percent(self) -> float: ...
    @property
    def saved_bytes(self) -> int: ...
    @property
    def saved_bytes_percent(self) -> float: ...

@final
class TokenCounter:
    def __init__(
        self,
        encoding: str = "o200k_base",
        *,
        cache: bool = True,
        max_entries: int | None = None,
        max_bytes: int | None = None,
        redis: str | RedisTier | None = None,
    ) -> None: ...
    @property
    def encoding(self) -> str: ...
    def count(self, text: str) -> int: ...
    def count_batch(self, texts: Sequence[str]) -> list[int]: ...
    async def count_async(self, text: str) -> int: ...
    async def count_batch_async(self, texts: Sequence[str]) -> list[int]: ...
    def encode(self, text: str) -> list[int]: ...
    def savings(self, json_text: str, toon_text: str) -> Savings: ...
    def cache_stats(self) -> CacheStats | None: ...
    def redis_stats(self) -> RedisStats | None: ...
    def clear_cache(self) -> None: ...

@final
class RedisTier:
    def __init__(
        self,
        url: str,
        *,
        ttl: float | None = 604800.0,
        connect_timeout: float = 0.1,
        io_timeout: float = 0.1,
        retry_min: float = 0.1,
        retry_max: float = 5.0,
        min_text_bytes: int = 1024,
    ) -> None: ...
    @property
    def url(self) -> str: ...
    @property
    def connected(self) -> bool: ...
    def stats(self) -> RedisStats: ...
    @staticmethod
    def key(text: str, encoding: str = "o200k_base") -> str: ...

@final
class RedisStats:
    @property
    def hits(self) -> int: ...
    @property
    def misses(self) -> int: ...
    @property
    def writes(self) -> int: ...
    @property
    def errors(self) -> int: ...
    @property
    def skipped(self) -> int: ...
    @property
    def connects(self) -> int: ...
    @property
    def connected(self) -> bool: ...
    @property
    def hit_rate(self) -> float: ...

@final
class ConversionCacheStats:
    @property
    def hits(self) -> int: ...
    @property
    def misses(self) -> int: ...
    @property
    def hit_rate(self) -> float: ...
    @property
    def entries(self) -> int: ...
    @property
    def bytes(self) -> int: ...
    @property
    def capacity_bytes(self) -> int: ...
    @property
    def redis(self) -> RedisStats | None: ...

def configure_conversion_cache(
    *, max_bytes: int | None = 67108864, redis: str | RedisTier | None = None
) -> None: ...
def conversion_cache_stats() -> ConversionCacheStats: ...
def install_metrics() -> None: ...
def metrics_text() -> str: ...
def record_response(
    body: str | bytes, media_type: str, *, encoding: str = "o200k_base"
) -> int | None: ...

@final
class ConverterInfo:
    @property
    def name(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def extensions(self) -> list[str]: ...

class ToonBudgetError(ValueError):
    """Even the skeleton (every array cut to no rows) does not fit the token budget."""

    skeleton_tokens: int
    max_tokens: int

class Candidate:
    """A format `encode_auto` compared; `exact` is False when counting stopped early."""

    format: str
    tokens: int
    exact: bool

class Choice:
    """The cheapest format: `format`, `text`, `tokens`, every candidate; `str()` is the
    CLI's `chosen: ...` line."""

    format: str
    text: str
    tokens: int
    candidates: list[Candidate]

def encode_auto(
    obj: Any,
    *,
    encoding: str = "o200k_base",
    indent: int = 2,
    formats: list[str] | None = None,
    exact: bool = False,
) -> Choice: ...
def encode_sections(
    sections: dict[str, Any],
    *,
    encoding: str = "o200k_base",
    indent: int = 2,
    formats: list[str] | None = None,
    exact: bool = False,
) -> dict[str, Choice]: ...

class Cut:
    """An array cut to fit a budget: `str()` is `users: 1000 rows, 120 kept`."""

    path: str
    rows: int
    kept: int

class Fitted:
    text: str
    tokens: int
    cuts: list[Cut]

def fit_to_budget(
    obj: Any,
    max_tokens: int,
    *,
    encoding: str = "o200k_base",
    delimiter: str = ",",
    indent: int = 2,
) -> Fitted: ...

class Violation:
    """A mismatch of a reply against a schema: `str()` is `path: message`."""

    path: str
    message: str

class Template:
    """An output template from a JSON Schema dict or a pydantic model class."""

    def __init__(self, schema: Any, *, delimiter: str = ",", indent: int = 2) -> None: ...
    @property
    def skeleton(self) -> str: ...
    @property
    def instructions(self) -> str: ...
    @property
    def prompt(self) -> str: ...
    def check(self, value: Any) -> list[Violation]: ...
