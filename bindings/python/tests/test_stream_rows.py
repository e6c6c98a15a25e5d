"""toon.stream_rows / toon.ChunkDecoder: TOON read as it arrives, in chunks split
anywhere, each finished row handed out when its line ends."""

import asyncio

import pytest

import toon

DOC = (
    "users[3]{id,name}:\n  1,Ada\n  2,Zoë 🚀\n  3,\"Cy, jr\"\n"
    "meta:\n  count: 3\n  tags[2]: a,b\nok: true\n"
)


def chunked(text: str | bytes, size: int) -> list:
    return [text[i : i + size] for i in range(0, len(text), size)]


def test_any_chunking_of_str_or_bytes_gives_the_value_decode_gives():
    expected = toon.decode(DOC)
    whole = toon.stream_rows([DOC])
    paths = [part.path for part in whole]
    assert paths == [
        "users[0]",
        "users[1]",
        "users[2]",
        "meta.count",
        "meta.tags[0]",
        "meta.tags[1]",
        "ok",
    ]
    assert whole.value == expected
    data = DOC.encode()
    for size in (1, 2, 3, 5, 64):
        for chunks in (chunked(DOC, size), chunked(data, size)):
            stream = toon.stream_rows(chunks)
            parts = [(part.path, part.value) for part in stream]
            assert [p for p, _ in parts] == paths
            assert stream.value == expected
            assert stream.truncated is None and stream.repairs == []


def test_parts_say_where_they_sit():
    first, *_ = toon.stream_rows(["users[1]{id}:\n  7\n"])
    assert (first.parent, first.index, first.key, first.value) == ("users", 0, None, {"id": 7})
    field = list(toon.stream_rows(["a:\n  b: 1\n"]))[0]
    assert (field.path, field.parent, field.index, field.key) == ("a.b", "a", None, "b")


def test_a_row_arrives_as_soon_as_its_line_ends():
    decoder = toon.ChunkDecoder()
    assert decoder.feed("rows[2]{a,b}:\n  1,") == []
    assert decoder.feed("2") == []
    [row] = decoder.feed("\n  3")
    assert row.value == {"a": 1, "b": 2}
    parts, end, cut = decoder.finish()
    assert parts == [] and cut is not None
    assert end.value == {"rows": [{"a": 1, "b": 2}]}
    with pytest.raises(ValueError, match="finished"):
        decoder.feed("x")


def test_async_iteration_over_an_async_source():
    async def source():
        for chunk in chunked(DOC.encode(), 7):
            await asyncio.sleep(0)
            yield chunk

    async def collect():
        stream = toon.stream_rows(source())
        rows = [part.value async for part in stream if part.parent == "users"]
        return rows, stream.value

    rows, value = asyncio.run(collect())
    assert [row["id"] for row in rows] == [1, 2, 3]
    assert value == toon.decode(DOC)
    with pytest.raises(TypeError, match="async for"):
        list(toon.stream_rows(source()))


def test_a_cut_off_stream_raises_truncated_with_the_part_that_arrived():
    text = DOC[: DOC.index("  3,")] + "  3,\"Cy"
    seen = []
    with pytest.raises(toon.ToonDecodeError) as info:
        for part in toon.stream_rows(chunked(text, 4)):
            seen.append(part.path)
    error = info.value
    assert seen == ["users[0]", "users[1]"]
    assert error.category == "truncated"
    assert (error.line, error.column) == (4, 8)
    assert error.partial == {"users": [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Zoë 🚀"}]}
    assert error.truncated.missing[-1] == "users: 3 tabular rows declared, 2 read"
    assert error.hint


def test_errors_are_decode_errors_at_the_same_place():
    text = "a: 1\nrows[2]{x,y}:\n  1,2,3\n  4,5\n"
    with pytest.raises(toon.ToonDecodeError) as whole:
        toon.decode(text)
    for size in (1, 4):
        with pytest.raises(toon.ToonDecodeError) as streamed:
            list(toon.stream_rows(chunked(text, size)))
        got, want = streamed.value, whole.value
        assert (got.line, got.column, got.category, got.path) == (
            want.line,
            want.column,
            want.category,
            want.path,
        )


def test_repair_mode_reads_a_fenced_reply_and_reports_fixes():
    reply = "```toon\nusers[3]{id,name}:\n  1,Ada,\n  2,Bo\n```\nAnything else?"
    stream = toon.stream_rows(chunked(reply, 3), repair=True)
    assert [part.value for part in stream] == [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Bo"}]
    assert stream.value == toon.repair(reply).value
    assert [r.done for r in stream.repairs] == [r.done for r in toon.repair(reply).repairs]
    assert stream.truncated is None


def test_keep_rows_false_hands_out_rows_without_keeping_them():
    text = "rows[500]{i}:\n" + "".join(f"  {i}\n" for i in range(500)) + "n: 500\n"
    stream = toon.stream_rows(chunked(text, 50), keep_rows=False)
    assert sum(1 for part in stream if part.parent == "rows") == 500
    assert stream.value == {"rows": [], "n": 500}


def test_big_integers_and_wrong_chunk_types():
    [part] = list(toon.stream_rows([b"n: 123456789012345678901234567890\n"]))
    assert part.value == 123456789012345678901234567890
    with pytest.raises(TypeError, match="str, bytes or bytearray, not int"):
        list(toon.stream_rows([1]))
    assert list(toon.stream_rows([bytearray(b"a: 1")]))[0].value == 1


def test_the_final_value_holds_the_row_objects_the_parts_handed_out():
    stream = toon.stream_rows(chunked(DOC, 9))
    parts = {part.path: part.value for part in stream}
    assert stream.value["users"][1] is parts["users[1]"]
    assert stream.value["meta"]["tags"] == ["a", "b"]
    assert stream.value == toon.decode(DOC)
    # Keys that are not identifiers, and a root array.
    text = 'odd key[2]{a}:\n  1\n  2\n"x.y":\n  z[1]: q\n'
    stream = toon.stream_rows([text])
    paths = [part.path for part in stream]
    assert paths == ['["odd key"][0]', '["odd key"][1]', '["x.y"].z[0]']
    assert stream.value == toon.decode(text)
    stream = toon.stream_rows(["[2]:\n  - a: 1\n  - b\n"])
    assert [part.value for part in stream] == [{"a": 1}, "b"]
    assert stream.value == [{"a": 1}, "b"]
