"""The Python API: spec fixtures, round trips, host types, errors, threads and fork."""

import dataclasses
import datetime
import decimal
import enum
import json
import os
import sys
import threading
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toon
from conftest import SKIP_SPEC_REQUESTED, missing_spec_message, spec_dir, spec_places


def json_number(text: str):
    """JSON numbers as the reference (and serde_json) read them: integers that fit 64 bits
    stay ints, larger ones are doubles. (This package, like Python's own ``json``, reads
    and writes integers of any size exactly; the fixtures follow the reference.)"""
    value = int(text)
    return value if -(2**63) <= value < 2**64 else float(text)


def fixture_cases():
    root = spec_dir()
    if root is None:
        return []
    fixtures = root / "fixtures"
    skip = {
        (c["file"], c["index"])
        for c in json.loads((fixtures / "known-superseded.json").read_text())["cases"]
    }
    cases = []
    for kind in ("encode", "decode"):
        for path in sorted((fixtures / kind).glob("*.json")):
            name = f"{kind}/{path.name}"
            for index, case in enumerate(json.loads(path.read_text(), parse_int=json_number)["tests"]):
                minimum = case.get("minSpecVersion", "4.0")
                if tuple(int(p) for p in minimum.split(".")[:2]) > (4, 4) or (name, index) in skip:
                    continue
                cases.append(pytest.param(kind, case, id=f"{name}#{index}"))
    return cases


CASES = fixture_cases()
# Without the fixtures, test_spec_fixtures_present fails (or is skipped on request) and says why.
NO_FIXTURES = (
    "spec fixtures not found, skipped on request (TOON_SKIP_SPEC=1)"
    if SKIP_SPEC_REQUESTED
    else "spec fixtures not found: test_spec_fixtures_present fails and says where it looked"
)


@pytest.mark.skipif(not CASES, reason=NO_FIXTURES)
@pytest.mark.parametrize("kind,case", CASES)
def test_spec_fixture(kind, case):
    options = case.get("options", {})
    if kind == "encode":
        kwargs = {"indent": options.get("indentSize", 2), "delimiter": options.get("delimiter", ",")}
        if case.get("shouldError"):
            with pytest.raises((TypeError, ValueError)):
                toon.encode(case["input"], **kwargs)
        else:
            assert toon.encode(case["input"], **kwargs) == case["expected"]
    else:
        kwargs = {"indent": options.get("indentSize", 2), "strict": options.get("strict", True)}
        if case.get("shouldError"):
            with pytest.raises(toon.ToonDecodeError):
                toon.decode(case["input"], **kwargs)
        else:
            assert toon.decode(case["input"], **kwargs) == case["expected"]


@pytest.mark.skipif(
    spec_dir() is None and SKIP_SPEC_REQUESTED,
    reason=f"spec fixtures not found ({'; '.join(spec_places())}): skipped on request (TOON_SKIP_SPEC=1)",
)
def test_spec_fixtures_present():
    if spec_dir() is None:
        pytest.fail(missing_spec_message("test_codec.py"), pytrace=False)
    assert len(CASES) == 558


keys = st.text(max_size=8)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["", " a", "true", "05", "1e5", "-x", "#c", "a,b", "a|b", "x:y", "[]", "\t", "\ufeffz"])
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5)
    | st.dictionaries(keys, inner, max_size=5)
    | st.lists(
        st.fixed_dictionaries({"id": st.integers(-(2**63), 2**64 - 1), "name": st.text(max_size=6)}),
        min_size=1,
        max_size=4,
    ),
    max_leaves=25,
)


def same(a, b):
    """Equality as JSON consumers see it: when a float is involved, numbers compare as
    doubles (a whole float above 2**53 is written with its shortest digits and decodes as
    the exact integer those digits spell; it is the same double)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b) if isinstance(a, float) or isinstance(b, float) else a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


@settings(max_examples=300, deadline=None)
@given(values, st.sampled_from([",", "\t", "|"]), st.sampled_from([2, 4]))
def test_round_trip(value, delimiter, indent):
    text = toon.encode(value, delimiter=delimiter, indent=indent)
    assert same(toon.decode(text, indent=indent), value), text


@settings(max_examples=200, deadline=None)
@given(values, st.sampled_from([",", "\t", "|"]), st.sampled_from([2, 4]))
def test_encode_bytes_is_the_utf8_of_encode(value, delimiter, indent):
    data = toon.encode_bytes(value, delimiter=delimiter, indent=indent)
    assert type(data) is bytes
    assert data == toon.encode(value, delimiter=delimiter, indent=indent).encode("utf-8")


def test_encode_bytes_errors_and_default_match_encode():
    class Opaque:
        pass

    for call in (toon.encode, toon.encode_bytes):
        with pytest.raises(TypeError, match=r"Opaque \(at \$\.rows\[1\]\)"):
            call({"rows": [1, Opaque()]})
        with pytest.raises(ValueError, match="indent must be at least 1"):
            call({}, indent=0)
    assert toon.encode_bytes({"x": Opaque()}, default=lambda o: "opaque") == b"x: opaque"
    assert toon.encode_bytes({"name": "Zoë 🎉"}) == "name: Zoë 🎉".encode()


def test_integers_beyond_64_bits_are_bare_digits():
    assert toon.encode({"n": 2**64 - 1, "big": 2**64, "neg": -(2**63) - 1}) == (
        "n: 18446744073709551615\nbig: 18446744073709551616\nneg: -9223372036854775809"
    )
    assert toon.encode({"f": float(10**20)}) == "f: 100000000000000000000"


def test_dumps_loads_aliases_and_bytes():
    data = {"users": [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Bo"}]}
    text = toon.dumps(data)
    assert text == "users[2]{id,name}:\n  1,Ada\n  2,Bo"
    assert toon.loads(text) == data
    assert toon.decode(text.encode()) == data


class Color(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


@dataclasses.dataclass
class Point:
    x: int
    y: float


def test_host_types_are_normalised():
    moment = datetime.datetime(2026, 11, 22, 15, 8, tzinfo=datetime.timezone.utc)
    data = {
        "when": moment,
        "day": datetime.date(2026, 11, 22),
        "at": datetime.time(9, 30),
        "color": Color.RED,
        "level": Level.HIGH,
        "point": Point(1, 2.5),
        "tags": {"a"},
        "pair": (1, 2),
        "price": decimal.Decimal("9.99"),
        "id": uuid.UUID(int=1),
        "big": 2**70,
        "neg": -(2**70),
    }
    decoded = toon.decode(toon.encode(data))
    assert decoded == {
        "when": "2026-11-22T15:08:00+00:00",
        "day": "2026-11-22",
        "at": "09:30:00",
        "color": "red",
        "level": 3,
        "point": {"x": 1, "y": 2.5},
        "tags": ["a"],
        "pair": [1, 2],
        "price": "9.99",
        "id": "00000000-0000-0000-0000-000000000001",
        "big": 2**70,
        "neg": -(2**70),
    }


def test_pydantic_models_use_their_json_dump():
    pydantic = pytest.importorskip("pydantic")

    class User(pydantic.BaseModel):
        id: int
        joined: datetime.date

    text = toon.encode([User(id=1, joined=datetime.date(2026, 1, 2)), User(id=2, joined=datetime.date(2026, 1, 3))])
    assert text == "[2]{id,joined}:\n  1,2026-01-02\n  2,2026-01-03"


def test_unknown_types_name_the_type_and_place():
    class Opaque:
        pass

    with pytest.raises(TypeError, match=r"Opaque.*\$\.users\[1\]\.extra"):
        toon.encode({"users": [{"extra": 1}, {"extra": Opaque()}]})
    assert toon.encode({"x": Opaque()}, default=lambda o: "opaque") == "x: opaque"
    with pytest.raises(TypeError, match="dict keys"):
        toon.encode({(1, 2): 3})
    with pytest.raises(ValueError):
        toon.encode({"a": 1}, delimiter=";")
    with pytest.raises(ValueError):
        toon.encode({"a": 1}, indent=0)


def test_decode_errors_carry_location():
    with pytest.raises(toon.ToonDecodeError) as info:
        toon.decode("rows[2]{a,b}:\n  1,2\n  3")
    error = info.value
    assert isinstance(error, ValueError)
    assert (error.line, error.column) == (3, 3)
    assert error.snippet == "  3\n  ^"
    # One line, as json and orjson messages are; the caret is `.snippet`.
    assert str(error) == "3:3: expected 2 tabular row values, but got 1"
    assert error.category == "width"
    with pytest.raises(TypeError):
        toon.decode(42)
    with pytest.raises(toon.ToonDecodeError):
        toon.decode(b"a: \xff")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("a[3]: 1,2", "count"),
        ("rows[2]{x,y}:\n  1,2\n  3", "width"),
        ("a: 1\na: 2", "duplicate_key"),
        ('a: "unterminated', "syntax"),
        ("a:\n\tb: 1", "indentation"),
    ],
)
def test_decode_error_categories_have_the_spelling_node_and_the_cli_use(text, category):
    with pytest.raises(toon.ToonDecodeError) as info:
        toon.decode(text)
    assert info.value.category == category


def test_deep_nesting_is_an_error_not_a_crash():
    deep = current = {}
    for _ in range(5000):
        current["k"] = {}
        current = current["k"]
    with pytest.raises(ValueError, match="nesting"):
        toon.encode(deep)


def test_threads_encode_in_parallel_with_equal_results():
    data = {"rows": [{"id": i, "name": f"n{i}", "score": i / 3} for i in range(2000)]}
    expected = toon.encode(data)
    results = [None] * 8

    def work(slot):
        results[slot] = [toon.encode(data) for _ in range(20)]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for batch in results for r in batch)


@pytest.mark.skipif(sys.platform == "win32", reason="fork is POSIX-only")
def test_works_in_forked_children():
    toon.encode({"warm": [1, 2]})
    pid = os.fork()
    if pid == 0:
        ok = toon.decode(toon.encode({"child": [1, 2, 3]})) == {"child": [1, 2, 3]}
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0


def test_keys_that_print_alike_are_both_written_as_json_dumps_does():
    # 1 and "1" are one key in the text: both lines are kept (nothing dropped), and
    # strict decoding reports the repeat with its line.
    assert json.dumps({1: "a", "1": "b"}) == '{"1": "a", "1": "b"}'
    text = toon.encode({1: "a", "1": "b"})
    assert text == '"1": a\n"1": b'
    with pytest.raises(toon.ToonDecodeError) as error:
        toon.decode(text)
    assert error.value.line == 2
    assert toon.decode(text, strict=False) == {"1": "b"}


def test_a_list_that_shrinks_while_encoded_is_an_error():
    # The header carries the element count: a list that a default= hook shrinks under
    # the walk is refused rather than written with a wrong count.
    class Opaque:
        pass

    items = [Opaque(), 1, 2, 3]
    with pytest.raises(RuntimeError, match="changed size"):
        toon.encode(items, default=lambda o: items.pop() and 0)


def test_a_list_that_grows_while_encoded_keeps_its_first_items():
    # As before the C-API walk: the count read at the start is what is written.
    class Opaque:
        pass

    items = [Opaque(), 1]
    assert toon.encode(items, default=lambda o: items.append(9) or 0) == "[2]: 0,1"


def test_a_dict_changed_by_a_hook_while_encoded_is_an_error():
    # The walk reads dicts with borrowed references (PyDict_Next): a hook that empties
    # the dict under it frees the key being walked, whose text the error path still
    # needs, so the walk holds that key itself. Keys built at run time, so nothing else
    # keeps them alive.
    class Opaque:
        pass

    key = "".join(["ke", "y"])
    data = {key: Opaque(), "".join(["ot", "her"]): "".join(["va", "lue"])}
    del key
    with pytest.raises(RuntimeError, match="changed size"):
        toon.encode(data, default=lambda o: data.clear() or 0)
    grown = {"a": Opaque()}
    with pytest.raises(RuntimeError, match="changed size"):
        toon.encode(grown, default=lambda o: grown.update(b=1) or 0)


def test_hooks_that_drop_items_of_the_container_being_walked():
    # The item after the hook's one is read from the list only after the hook ran; the
    # items before it were written already.
    class Opaque:
        pass

    items = [Opaque(), "".join(["te", "xt"]), 2**70, 3.5]
    assert toon.encode(items, default=lambda o: items.__setitem__(1, "new") or 0) == (
        f"[4]: 0,new,{2**70},3.5"
    )
    tuple_items = (Opaque(), "".join(["te", "xt"]))
    assert toon.encode(tuple_items, default=lambda o: 7) == "[2]: 7,text"


def test_scalars_read_from_containers_by_exact_type():
    # str, int (i64, u64 and beyond), float, bool and None, as dict values, list and
    # tuple items, and the root; the subclasses of each take the general path.
    class S(str):
        pass

    class I(int):
        pass

    class F(float):
        pass

    values = ["é😀", -(2**63), 2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63) - 1, 0.1,
              -0.0, True, False, None, S("s"), I(5), F(1.5)]
    expected = (
        "é😀,-9223372036854775808,9223372036854775807,9223372036854775808,"
        "18446744073709551615,18446744073709551616,-9223372036854775809,0.1,0,true,false,"
        "null,s,5,1.5"
    )
    assert toon.encode(values) == f"[{len(values)}]: {expected}"
    assert toon.encode(tuple(values)) == f"[{len(values)}]: {expected}"
    as_dict = {f"k{i}": v for i, v in enumerate(values)}
    assert toon.encode(as_dict) == "\n".join(
        f"k{i}: {text}" for i, text in enumerate(expected.split(","))
    )
    for value, text in zip(values, expected.split(",")):
        assert toon.encode(value) == text


def test_strings_that_are_not_utf8_are_errors_wherever_they_sit():
    lone = "\ud800"
    for obj in [lone, [lone], (lone,), {"k": lone}, {lone: 1}, {"k": [1, {"j": lone}]}]:
        with pytest.raises(UnicodeEncodeError):
            toon.encode(obj)
        with pytest.raises(UnicodeEncodeError):
            toon.encode_bytes(obj)


def test_keys_shared_between_rows_and_many_distinct_keys():
    # Rows built by json.loads share key objects; a wide dict has thousands of keys.
    rows = json.loads(json.dumps([{"id": i, "name": f"n{i}"} for i in range(300)]))
    assert toon.decode(toon.encode({"rows": rows})) == {"rows": rows}
    wide = {f"key{i}": i for i in range(5000)}
    assert toon.decode(toon.encode(wide)) == wide

    class Key(str):
        pass

    assert toon.encode({Key("a"): 1, "b": {Key("c"): [Key("d")]}}) == "a: 1\nb:\n  c[1]: d"


def test_a_default_hook_that_never_converges_is_an_error_not_a_crash():
    class Opaque:
        pass

    with pytest.raises(ValueError, match="nesting"):
        toon.encode(Opaque(), default=lambda o: Opaque())
    with pytest.raises(ZeroDivisionError):
        toon.encode({"x": Opaque()}, default=lambda o: 1 / 0)


def test_package_docstring_examples():
    import doctest

    assert doctest.testmod(toon).failed == 0
