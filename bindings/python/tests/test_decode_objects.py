"""The Python objects `decode` builds, on both of its paths: texts up to 1 MiB are built
from the decoder's events with the interpreter attached (key cache, shapes, template
dicts); larger ones are parsed detached into a `toon::Value` and walked. Both must give
exactly what `json.loads` gives for the same data."""

import asyncio
import gc
import json

import pytest

import toon

# Past the attached path's limit (`ATTACHED_DECODE_MAX` in src/lib.rs).
PAD = "x" * ((1 << 20) + 1)

ROW_KEYS = ["id", "name", "email", "active", "score", "tags", "city"]

DOCS = {
    "scalars": {
        "null": None,
        "yes": True,
        "no": False,
        "zero": 0,
        "neg": -7,
        "i64_min": -(2**63),
        "i64_max": 2**63 - 1,
        "u64": 2**63,
        "u64_max": 2**64 - 1,
        "big": 2**200,
        "big_neg": -(2**200) - 1,
        "float": 1.5,
        "tiny": 5e-324,
        "huge": 1.7976931348623157e308,
        "neg_float": -0.25,
        "empty": "",
        "spaces": "  padded  ",
        "looks_like_number": "42",
        "looks_like_bool": "true",
    },
    "strings": {
        "ascii": "plain",
        "latin": "café",
        "cjk": "日本語のテキスト",
        "astral": "emoji 😀 and 𝄞",
        "mixed": "a\u00e9\u4e2d\U0001f600",
        "escapes": 'quote " backslash \\ newline \n tab \t cr \r',
        "é-key": 1,
        "😀": "astral key",
        'key "quoted"': "escaped key",
        "k" * 100: "a key too long to cache",
        "a, b": "a key with the delimiter",
    },
    "empties": {"list": [], "dict": {}, "nested": {"a": {}, "b": [[]], "c": [{}]}},
    "table": {"rows": [{k: (i if k == "id" else f"{k}{i}") for k in ROW_KEYS} for i in range(40)]},
    "records": {
        # Objects of one shape (templates), then the same keys in another order, a key
        # more, a key less, and nested values under the same key in different parents.
        "items": [
            {"id": i, "user": {"login": f"u{i}", "id": i, "site_admin": False, "type": "User",
                               "url": f"https://x/{i}", "score": i + 0.5},
             "payload": {"size": i, "ref": None, "head": "h", "before": "b", "commits": [i], "x": 1},
             "public": True}
            for i in range(12)
        ]
        + [
            {"public": False, "payload": {"x": 1, "commits": [], "before": "b", "head": "h", "ref": "r", "size": 0},
             "user": {"score": 0.5, "url": "u", "type": "Bot", "site_admin": True, "id": 99, "login": "bot"},
             "id": 99},
            {"id": 100, "user": {"login": "x", "id": 1, "site_admin": False, "type": "User", "url": "u",
                                 "score": 1.25, "extra": [1, 2]}, "payload": {}, "public": True},
            {"id": 101, "user": {"login": "y", "id": 2, "site_admin": False, "type": "User", "url": "u"},
             "payload": None, "public": True},
        ]
        + [
            {"id": i, "user": {"login": f"u{i}", "id": i, "site_admin": False, "type": "User",
                               "url": f"https://x/{i}", "score": i + 0.5},
             "payload": {"size": i, "ref": None, "head": "h", "before": "b", "commits": [i], "x": 1},
             "public": True}
            for i in range(3)
        ]
    },
    "lists": {"mixed": [1, "two", 3.5, None, True, [1, [2, [3]]], {"a": [{"b": 1}]}], "matrix": [[1, 2], [3, 4]]},
    "deep": {"a": {"b": {"c": {"d": {"e": {"f": {"g": [{"h": {"i": 1}}]}}}}}}},
}


def typed(value):
    """`value` with every number tagged by its type, so that `1 == 1.0` and `True == 1`
    do not hide a wrong type."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}, list(value)
    if isinstance(value, list):
        return [typed(v) for v in value]
    return type(value).__name__, value


def same(a, b):
    return typed(a) == typed(b)


@pytest.mark.parametrize("name", DOCS)
def test_both_paths_give_what_json_loads_gives(name):
    expected = json.loads(json.dumps(DOCS[name]))
    text = toon.encode(expected)
    attached = toon.decode(text)
    assert same(attached, expected)
    detached = toon.decode(text + "\npad: " + PAD)
    assert same(detached, {**expected, "pad": PAD})
    assert same(toon.decode(text.encode()), expected)
    assert same(toon.decode((text + "\npad: " + PAD).encode()), {**expected, "pad": PAD})


@pytest.mark.parametrize("name", DOCS)
def test_decode_async_walks_a_value_and_agrees(name):
    expected = json.loads(json.dumps(DOCS[name]))
    text = toon.encode(expected)
    assert same(asyncio.run(toon.decode_async(text)), toon.decode(text))


def test_roots_and_the_empty_document():
    for text, expected in [("", {}), ("hello", "hello"), ("42", 42), ("-0", 0), ("[0]:", []),
                           ("[2]: 1,2", [1, 2]), ("null", None), ("1.5", 1.5)]:
        assert same(toon.decode(text), expected), text


def test_negative_zero_and_big_numbers_read_as_documented():
    # As the reference does: `-0.0` is `0.0`; `-0` the int 0; integers of any size exact.
    got = toon.decode("a: -0.0\nb: -0\nc: 123456789012345678901234567890\nd: -1e3\ne: 1e400")
    assert same(got, {"a": 0.0, "b": 0, "c": 123456789012345678901234567890, "d": -1000.0, "e": "1e400"})
    assert str(got["a"]) == "0.0"


def test_rows_from_a_template_are_separate_dicts_tracked_like_json_loads_rows():
    rows = [{k: i for k in ROW_KEYS} for i in range(5)] + [{k: [i] for k in ROW_KEYS} for i in range(5)]
    got = toon.decode(toon.encode({"rows": rows}))["rows"]
    assert got == rows
    assert len({id(row) for row in got}) == len(rows)
    got[2]["id"] = "changed"
    got[3]["new"] = 1
    assert got[1]["id"] == 1 and got[4] == rows[4]
    # A dict of scalars is not tracked by the garbage collector (as json.loads leaves
    # it); one that holds a list is.
    reference = json.loads(json.dumps(rows))
    assert [gc.is_tracked(row) for row in got] == [gc.is_tracked(row) for row in reference]
    assert not gc.is_tracked(got[0]) and gc.is_tracked(got[-1])


@pytest.mark.parametrize("pad", ["", "\npad: " + PAD])
def test_repeated_keys_when_not_strict_keep_the_first_place_and_the_last_value(pad):
    text = "a: 1\nb: 2\na: 3" + pad
    got = toon.decode(text, strict=False)
    assert list(got)[:2] == ["a", "b"] and got["a"] == 3 and got["b"] == 2
    # In objects of a repeated shape (templates), too.
    fields = [f"{k}: {i}" for i, k in enumerate(["a", "b", "c", "d", "e", "f", "a"])]
    item = "  - " + "\n    ".join(fields)
    text = "items[3]:\n" + "\n".join([item] * 3) + pad
    items = toon.decode(text, strict=False)["items"]
    assert [list(item) for item in items] == [["a", "b", "c", "d", "e", "f"]] * 3
    assert [item["a"] for item in items] == [6, 6, 6]
    with pytest.raises(toon.ToonDecodeError) as info:
        toon.decode(text)
    assert info.value.category == "duplicate_key"


@pytest.mark.parametrize("pad", ["", "\npad: " + PAD])
def test_errors_carry_the_same_location_on_both_paths(pad):
    with pytest.raises(toon.ToonDecodeError) as info:
        toon.decode("rows[2]{a,b}:\n  1,2\n  3" + pad)
    assert (info.value.line, info.value.column, info.value.category) == (3, 3, "width")
    # An error after many objects were built: the partial objects are dropped.
    rows = "\n".join(f"  {i},{i}" for i in range(500))
    with pytest.raises(toon.ToonDecodeError) as info:
        toon.decode(f"rows[501]{{a,b}}:\n{rows}\n  x" + pad)
    assert (info.value.line, info.value.column) == (502, 3)
    with pytest.raises(toon.ToonDecodeError) as info:
        toon.decode(("a: 1\nb: \xff" + pad).encode("latin-1"))
    assert (info.value.line, info.value.column) == (2, 4)


def test_options_apply_on_the_attached_path():
    text = "a:\n    b: 1\n    c[2]: x,y"
    assert toon.decode(text, indent=4) == {"a": {"b": 1, "c": ["x", "y"]}}
    with pytest.raises(toon.ToonDecodeError):
        toon.decode(text)
    assert toon.decode("a[3]: 1,2", strict=False) == {"a": [1, 2]}
    with pytest.raises(toon.ToonDecodeError):
        toon.decode("a[3]: 1,2")


@pytest.mark.parametrize("pad", ["", "\npad: " + PAD])
def test_the_collector_is_paused_only_while_objects_are_built(pad):
    text = toon.encode({"rows": [{k: [i] for k in ROW_KEYS} for i in range(300)]}) + pad
    was = gc.isenabled()
    try:
        gc.enable()
        assert toon.decode(text)["rows"][299]["id"] == [299]
        assert gc.isenabled()
        with pytest.raises(toon.ToonDecodeError):
            toon.decode(text + "\nrows: 1")
        assert gc.isenabled()
        assert asyncio.run(toon.decode_async(text))["rows"][0]["city"] == [0]
        assert gc.isenabled()
        gc.disable()
        toon.decode(text)
        assert not gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
    # Collections still happen, and free cycles made from decoded objects.
    got = toon.decode(text)
    got["self"] = got
    del got
    assert gc.collect() > 0
