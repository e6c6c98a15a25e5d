from typing import Any, Callable

__version__: str

class ToonDecodeError(ValueError):
    line: int
    column: int
    snippet: str | None
    category: str

def encode(
    obj: Any,
    *,
    delimiter: str = ",",
    indent: int = 2,
    default: Callable[[Any], Any] | None = None,
) -> str: ...
def decode(text: str | bytes, *, strict: bool = True, indent: int = 2) -> Any: ...
