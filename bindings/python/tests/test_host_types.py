"""Every Python input type: encoded as `json.dumps` / orjson would write it, or refused
with a `TypeError` naming the type and where it sits; never dropped or changed silently.
Integer literals decode to exact `int`s of any size, as `json.loads` reads them."""

import collections
import dataclasses
import datetime
import decimal
import enum
import json
import uuid
from typing import NamedTuple

import pytest

import toon


# Integers of any size.


def test_big_ints_are_bare_digits_and_decode_exactly():
    data = {"a": 10**20, "b": -(10**30), "c": [2**64, -(2**63) - 1], "huge": 7**300}
    text = toon.encode(data)
    assert text == (
        "a: 100000000000000000000\n"
        "b: -1000000000000000000000000000000\n"
        "c[2]: 18446744073709551616,-9223372036854775809\n"
        f"huge: {7**300}"
    )
    assert toon.decode(text) == data
    assert all(type(v) is int for v in toon.decode(text)["c"])


def test_big_ints_in_tables_and_when_a_guessed_table_breaks():
    rows = [{"id": 2**70, "n": 1}, {"id": -(2**80), "n": 2}]
    assert toon.encode({"rows": rows}) == (
        f"rows[2]{{id,n}}:\n  {2**70},1\n  {-(2**80)},2"
    )
    # The second row's key order breaks the table guess, so the text so far is read back.
    broken = [{"id": 2**70, "n": 1}, {"n": 2, "id": 2**71}]
    assert toon.decode(toon.encode(broken)) == broken
    mixed = [2**70, [1]]
    assert toon.encode(mixed) == f"[2]:\n  - {2**70}\n  - [1]: 1"


def test_integer_literals_decode_like_json_loads():
    literals = ["0", "-0", "123", "-123", "9223372036854775808", "18446744073709551616",
                "-18446744073709551617", "1" + "0" * 400]
    for literal in literals:
        value = toon.decode(f"v: {literal}")["v"]
        assert value == json.loads(literal) and type(value) is int, literal


def test_floats_stay_floats():
    assert toon.decode("[5]: 1.0,1e3,-1.5,1e20,2.5E-3") == [1.0, 1000.0, -1.5, 1e20, 0.0025]
    assert [type(v) for v in toon.decode("[3]: 1.0,1e3,1e20")] == [float, float, float]
    # The reference's policies, where json.loads differs: -0.0 is 0.0, 1e400 is text.
    assert toon.decode("[2]: -0.0,1e400") == [0.0, "1e400"]
    # Not the number grammar: strings.
    assert toon.decode("[3]: 007,+1,1_000") == ["007", "+1", "1_000"]


def test_int_and_float_subclasses_use_the_base_spelling():
    class Shouty(int):
        def __str__(self):
            return "nope"

        __repr__ = __str__

    class Odd(float):
        def __repr__(self):
            return "nope"

    class Name(str):
        pass

    assert toon.encode([Shouty(5), Shouty(10**20), Odd(1.5), Name("x")]) == (
        "[4]: 5,100000000000000000000,1.5,x"
    )
    assert toon.encode({Shouty(5): 1, Odd(2.5): 2}) == '"5": 1\n"2.5": 2'


def test_int_beyond_the_digit_limit_is_the_json_error():
    with pytest.raises(ValueError, match="Exceeds the limit"):
        json.dumps(10**5000)
    with pytest.raises(ValueError, match="Exceeds the limit"):
        toon.encode({"n": 10**5000})


# Mappings and sequences.


class Point(NamedTuple):
    x: int
    y: int


class Plain(dict):
    pass


def test_dict_subclasses_and_named_tuples():
    data = {
        "sub": Plain(a=1),
        "ordered": collections.OrderedDict([("b", 1), ("a", 2)]),
        "default": collections.defaultdict(list, k=[1]),
        "point": Point(1, 2),
    }
    text = toon.encode(data)
    assert text == "sub:\n  a: 1\nordered:\n  b: 1\n  a: 2\ndefault:\n  k[1]: 1\npoint[2]: 1,2"
    assert toon.decode(text) == json.loads(json.dumps(data))


def test_sets_are_arrays():
    assert toon.encode({"s": {3, 1, 2}, "f": frozenset({"a"})}) == "s[3]: 1,2,3\nf[1]: a"


def test_non_string_keys():
    assert toon.encode({7: "a", 2.5: "b", None: "c", True: "d"}) == (
        '"7": a\n"2.5": b\nnull: c\ntrue: d'
    )
    with pytest.raises(TypeError) as error:
        toon.encode({"x": {(1, 2): 1}})
    assert str(error.value) == (
        "dict keys must be str, int, float, bool or None, not tuple (at $.x)"
    )


# Enums, dates, decimals, UUIDs.


class Color(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


class Mode(enum.StrEnum):
    FAST = "fast"


def test_enums_are_their_values():
    assert toon.encode([Color.RED, Level.HIGH, Mode.FAST]) == "[3]: red,3,fast"
    assert toon.encode({Level.HIGH: 1, Mode.FAST: 2}) == '"3": 1\nfast: 2'
    assert json.dumps([Level.HIGH, Mode.FAST]) == '[3, "fast"]'


def test_dates_and_times_are_iso_text():
    plus2 = datetime.timezone(datetime.timedelta(hours=2))
    data = [
        datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=plus2),
        datetime.datetime(2024, 1, 2, 3, 4, 5, 123456),
        datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc),
        datetime.date(2024, 1, 2),
        datetime.time(1, 2, 3),
    ]
    assert toon.encode(data) == (
        '[5]: "2024-01-02T03:04:05+02:00","2024-01-02T03:04:05.123456",'
        '"2024-01-02T00:00:00+00:00",2024-01-02,"01:02:03"'
    )


def test_decimal_and_uuid_are_their_text():
    assert toon.encode({"d": decimal.Decimal("1.10"), "u": uuid.UUID(int=1)}) == (
        'd: "1.10"\nu: 00000000-0000-0000-0000-000000000001'
    )


# Objects.


@dataclasses.dataclass(slots=True)
class Slotted:
    a: int
    b: str = "q"


def test_dataclasses_with_slots():
    assert toon.encode({"s": Slotted(1)}) == "s:\n  a: 1\n  b: q"


def test_pydantic_models():
    pydantic = pytest.importorskip("pydantic")

    class User(pydantic.BaseModel):
        id: int
        joined: datetime.date

    assert toon.encode([User(id=1, joined=datetime.date(2024, 1, 1))]) == (
        "[1]{id,joined}:\n  1,2024-01-01"
    )


class Bag:
    def __init__(self):
        self.x = 1


@pytest.mark.parametrize(
    ("obj", "name", "where"),
    [
        ({"users": [1, {"extra": Bag()}]}, "Bag", "$.users[1].extra"),
        ({"b": b"ab"}, "bytes", "$.b"),
        ([bytearray(b"ab")], "bytearray", "$[0]"),
        (memoryview(b"ab"), "memoryview", "$"),
        ({"c": 1j}, "complex", "$.c"),
        ({"r": range(3)}, "range", "$.r"),
    ],
)
def test_unsupported_types_are_type_errors(obj, name, where):
    with pytest.raises(TypeError) as error:
        toon.encode(obj)
    assert str(error.value) == (
        f"Type is not TOON serializable: {name} (at {where}); pass default= to convert it"
    )


def test_default_handles_bytes():
    assert toon.encode({"b": b"hi"}, default=lambda o: o.decode()) == "b: hi"


# Cycles.


def test_a_self_containing_list_is_a_clear_error():
    loop = [1]
    loop.append(loop)
    with pytest.raises(ValueError) as error:
        toon.encode({"l": loop})
    assert str(error.value) == (
        "Circular reference detected: the container at $.l[1] is the one at $.l"
    )


def test_a_cycle_through_a_dataclass_and_a_dict():
    @dataclasses.dataclass
    class Node:
        child: object = None

    node = Node()
    node.child = {"k": node}
    with pytest.raises(ValueError) as error:
        toon.encode([node])
    assert str(error.value) == (
        "Circular reference detected: the container at $[0].child.k is the one at $[0]"
    )


def test_deep_data_is_not_called_a_cycle():
    deep = cur = []
    for _ in range(300):
        cur.append([])
        cur = cur[0]
    with pytest.raises(ValueError) as error:
        toon.encode(deep)
    assert str(error.value) == "nesting deeper than 256 levels at $" + "[0]" * 256


# numpy: scalars and arrays as their Python values.


def test_numpy_scalars_and_arrays():
    np = pytest.importorskip("numpy")
    data = {
        "i": np.int64(3),
        "u": np.uint64(2**64 - 1),
        "f": np.float64(1.5),
        "b": np.bool_(True),
        "f32": np.float32(0.5),
        "v": np.array([1, 2, 3]),
        "m": np.array([[1.5, 2.0], [3.0, 4.5]]),
        "rows": [{"id": np.int32(1), "ok": np.bool_(False)}],
    }
    assert toon.encode(data) == (
        "i: 3\nu: 18446744073709551615\nf: 1.5\nb: true\nf32: 0.5\nv[3]: 1,2,3\n"
        "m[2]:\n  - [2]: 1.5,2\n  - [2]: 3,4.5\nrows[1]{id,ok}:\n  1,false"
    )
    # float32 widens to the double it is.
    assert toon.encode(np.float32(0.1)) == "0.10000000149011612"
