"""Tables that speak the Arrow PyCapsule interface (pyarrow, polars, pandas): ``toon.encode``
writes them from their columns, and the text is the one ``toon.encode`` gives their rows
as Python objects (``to_pylist`` / ``to_dicts`` / ``to_dict("records")``)."""

import datetime
import decimal

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import toon

UTC = datetime.timezone.utc


def sample_table() -> pa.Table:
    return pa.table(
        {
            "id": pa.array([1, 2, None], pa.int64()),
            "big": pa.array([2**64 - 1, 0, 7], pa.uint64()),
            "score": pa.array([0.1, float("nan"), -2.5], pa.float64()),
            "f32": pa.array([0.1, 1.0, None], pa.float32()),
            "name": ["Ada", "Bo, Jr.", None],
            "note": pa.array(["x: y", "42", "- item"], pa.large_string()),
            "active": [True, None, False],
            "day": pa.array([datetime.date(2024, 5, 6), None, datetime.date(1999, 12, 31)]),
            "at": pa.array(
                [datetime.datetime(2024, 5, 6, 12, 30, 0, 250000), None, datetime.datetime(2000, 1, 1)],
                pa.timestamp("us"),
            ),
            "at_utc": pa.array(
                [datetime.datetime(2024, 5, 6, 12, 30, tzinfo=UTC), None, None], pa.timestamp("ms", "UTC")
            ),
            "at_paris": pa.array(
                [datetime.datetime(2024, 5, 6, 12, 30, tzinfo=UTC)] * 3, pa.timestamp("s", "Europe/Paris")
            ),
            "clock": pa.array([datetime.time(12, 34, 56), datetime.time(0, 0, 0, 1), None], pa.time64("us")),
            "price": pa.array([decimal.Decimal("1.50"), None, decimal.Decimal("-3.25")], pa.decimal128(10, 2)),
            "address": pa.array(
                [{"city": "Oslo", "zip": 150}, {"city": "Lima", "zip": None}, {"city": "Rome", "zip": 7}]
            ),
            "color": pa.array(["red", "blue", "red"]).dictionary_encode(),
        }
    )


@pytest.mark.parametrize("delimiter", [",", "\t", "|"])
def test_pyarrow_tables_encode_as_their_rows(delimiter):
    table = sample_table()
    expected = toon.encode(table.to_pylist(), delimiter=delimiter)
    assert toon.encode(table, delimiter=delimiter) == expected
    assert toon.encode_bytes(table, delimiter=delimiter) == expected.encode()
    # The struct column is a nested field group of the one table.
    header = delimiter.join(["id", "big", "score", "f32", "name", "note", "active", "day", "at"])
    assert expected.startswith(f"[3{'' if delimiter == ',' else delimiter}]{{{header}{delimiter}")
    assert f"address{{city{delimiter}zip}}" in expected.splitlines()[0]
    # Record batches and readers speak the same interface.
    batch = table.to_batches()[0]
    assert toon.encode(batch, delimiter=delimiter) == expected


def test_lists_and_maps_leave_table_form_as_their_rows_do():
    table = pa.table(
        {
            "tags": pa.array([[1, 2], None, []], pa.list_(pa.int32())),
            "attrs": pa.array([[("w", 3)], [], None], pa.map_(pa.string(), pa.int64())),
        }
    )
    rows = [{"tags": r["tags"], "attrs": dict(r["attrs"]) if r["attrs"] is not None else None} for r in table.to_pylist()]
    assert toon.encode(table) == toon.encode(rows)


def test_many_batches_and_an_empty_table():
    table = pa.Table.from_batches(
        [pa.record_batch({"n": list(range(i * 10, i * 10 + 10))}) for i in range(5)]
    )
    assert toon.encode(table) == toon.encode(table.to_pylist())
    assert toon.encode(pa.table({"n": pa.array([], pa.int64())})) == toon.encode([]) == "[]"


def test_polars_frames_encode_as_their_dicts():
    frame = pl.DataFrame(
        {
            "id": [1, 2, 3],
            "name": ["Ada", None, "Cy"],
            "score": [1.5, None, 2.0],
            "kind": pl.Series(["a", "b", "a"], dtype=pl.Categorical),
            "day": [datetime.date(2024, 1, 2)] * 3,
            "at": [datetime.datetime(2024, 1, 2, 3, 4, 5)] * 3,
            "ok": [True, False, None],
        }
    )
    assert toon.encode(frame) == toon.encode(frame.to_dicts())


def test_pandas_frames_encode_as_their_records():
    frame = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "name": ["Ada", "Bo", "Cy"],
            "score": [1.5, float("nan"), 2.0],
            "at": pd.to_datetime(["2024-01-02 03:04:05", "2024-01-03 00:00:00", "2024-01-04 12:00:00"]),
        }
    )
    records = frame.to_dict("records")
    for row in records:
        row["at"] = row["at"].to_pydatetime()
    assert toon.encode(frame) == toon.encode(records)


def test_columns_without_a_toon_form_are_refused_by_name():
    table = pa.table({"id": [1], "meta": pa.array([{"raw": b"\x00"}])})
    with pytest.raises(TypeError, match=r"column meta\.raw: Binary values have no TOON form"):
        toon.encode(table)
    with pytest.raises(TypeError, match=r"column wait: Duration"):
        toon.encode(pa.table({"wait": pa.array([datetime.timedelta(seconds=1)])}))


def test_decode_as_arrow_polars_and_pandas():
    table = pa.table(
        {
            "id": pa.array([1, 2, 3], pa.int64()),
            "name": ["Ada", None, "Cy"],
            "score": [1.5, 2.0, None],
            "ok": [True, False, None],
            "customer": pa.array([{"city": "Oslo"}, {"city": "Lima"}, {"city": None}]),
            "tags": pa.array([["a"], [], None], pa.list_(pa.string())),
        }
    )
    text = toon.encode(table)
    assert toon.decode(text, as_="arrow").equals(table)
    assert toon.decode(text.encode(), as_="arrow").equals(table)
    assert toon.decode(text, as_="polars").equals(pl.from_arrow(table))
    expected = table.to_pandas()
    pd.testing.assert_frame_equal(toon.decode(text, as_="pandas"), expected)
    # Integers mixed with floats are floats, a key missing from a row is null there.
    mixed = toon.decode("[2]:\n  - n: 1\n  - n: 2.5\n    extra: x", as_="arrow")
    assert mixed.schema.field("n").type == pa.float64()
    assert mixed.column("extra").to_pylist() == [None, "x"]


def test_decode_as_a_table_refuses_what_is_not_one():
    with pytest.raises(ValueError, match="a table must be an array of objects"):
        toon.decode("a: 1", as_="arrow")
    with pytest.raises(ValueError, match="column a: integer and string values in one column"):
        toon.decode("[2]{a}:\n  1\n  x", as_="pandas")
    with pytest.raises(ValueError, match="as_ must be"):
        toon.decode("[]", as_="numpy")
    with pytest.raises(toon.ToonDecodeError) as error:
        toon.decode("[2]{a}:\n  1", as_="arrow")
    assert error.value.line == 1
