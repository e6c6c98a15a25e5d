"""toon.repair: a model's reply read with every fix reported, a cut-off reply told apart
(the rules are the core's, tested in crates/toon/tests/repair.rs; here, what Python sees)."""

import pytest

import toon

REPLY = (
    "Here are the users you asked for:\n\n```toon\nusers[3]{id,name}:\n"
    "    1,Ada,\n    2,Bo\n```\n\nWant more?\n"
)


def test_value_repairs_and_positions_in_the_reply():
    repaired = toon.repair(REPLY)
    assert repaired.value == {"users": [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Bo"}]}
    assert repaired.truncated is None
    assert repaired.found_in == "fence"
    assert [(r.line, r.column, r.done) for r in repaired.repairs] == [
        (4, 7, "kept the 2 tabular rows present"),
        (5, 1, "read every line with 4 spaces per level"),
        (5, 10, "removed the trailing delimiter"),
    ]
    assert repaired.repairs[0].found == "expected 3 tabular rows, but got 2"
    assert "removed the trailing delimiter" in repr(repaired.repairs[2])


def test_bytes_and_the_same_result_as_str():
    assert toon.repair(REPLY.encode()).value == toon.repair(REPLY).value


def test_a_cut_off_reply_keeps_the_part_that_arrived():
    repaired = toon.repair("users[3]{id,name}:\n  1,Ada\n  2,B")
    assert repaired.value == {"users": [{"id": 1, "name": "Ada"}, {"id": 2, "name": "B"}]}
    cut = repaired.truncated
    assert (cut.line, cut.column) == (3, 6)
    assert cut.missing == ["users: 3 tabular rows declared, 2 read"]


def test_big_integers_stay_exact_as_in_decode():
    assert toon.repair("n: 100000000000000000000").value == {"n": 10**20}


def test_a_guess_is_a_located_decode_error():
    with pytest.raises(toon.ToonDecodeError) as info:
        toon.repair("```toon\nrows[2]{a,b}:\n  1,2,3\n  4,5\n```\n")
    assert (info.value.line, info.value.column, info.value.category) == (3, 3, "width")


def test_fence_and_indent_options():
    reply = "```\nb: 2\n```\n```\nc:\n    d: 1\n```\n"
    assert toon.repair(reply).value == {"b": 2}
    repaired = toon.repair(reply, fence=1, indent=4)
    assert repaired.value == {"c": {"d": 1}}
    assert repaired.repairs == []


def test_wrong_argument_types():
    with pytest.raises(TypeError, match="expects str or bytes"):
        toon.repair(42)
    with pytest.raises(ValueError, match="indent"):
        toon.repair("a: 1", indent=0)


def test_decode_errors_carry_path_hint_expected_and_found():
    with pytest.raises(toon.ToonDecodeError) as info:
        toon.decode("users[2]{id,name}:\n  1,Ada,x\n  2,Bo")
    assert info.value.path == "users[0]"
    assert (info.value.expected, info.value.found) == ("2 tabular row values", "3")
    assert info.value.hint == (
        "this row has 3 values but the header declares 2 fields; quote values that contain the delimiter"
    )
    with pytest.raises(toon.ToonDecodeError) as info:
        toon.decode('a: "open')
    assert info.value.path is None
    assert info.value.hint == 'close every quoted string with " on the same line'
    with pytest.raises(toon.ConvertError) as info:
        toon.convert("a:\n  b[3]: 1,2", "toon", "json")
    assert (info.value.path, info.value.category) == ("a.b", "count")
    assert (info.value.expected, info.value.found) == ("3 inline-form values", "2")
