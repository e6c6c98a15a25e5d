"""Tables to TOON, side by side in one run: a Parquet file and a polars DataFrame of
100,000 rows x 8 columns (ints, floats with nulls, short and long text, booleans, dates,
timestamps, a category), each written to TOON from its columns and through Python
objects first. Prints the best of --repeat runs of each and the ratios.

    python bindings/python/bench/tables.py [--rows 100000] [--repeat 5]
"""

import argparse
import datetime
import os
import pathlib
import tempfile
import time

import polars as pl
import pyarrow.parquet as pq

import toon


def frame(rows: int) -> pl.DataFrame:
    start = datetime.datetime(2024, 1, 1)
    return pl.DataFrame(
        {
            "id": range(rows),
            "user": [f"user{i % 5000}" for i in range(rows)],
            "amount": [None if i % 17 == 0 else (i % 1000) / 8 for i in range(rows)],
            "quantity": [i % 13 for i in range(rows)],
            "paid": [i % 3 == 0 for i in range(rows)],
            "day": [datetime.date(2024, 1, 1) + datetime.timedelta(days=i % 365) for i in range(rows)],
            "at": [start + datetime.timedelta(seconds=37 * i) for i in range(rows)],
            "region": pl.Series([("north", "south", "east", "west")[i % 4] for i in range(rows)], dtype=pl.Categorical),
        }
    )


def best(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    df = frame(args.rows)
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "table.parquet")
        pq.write_table(df.to_arrow(), path)
        with open(path, "rb") as file:
            same = toon.convert(file.read(), "parquet")
        assert same == toon.encode(pq.read_table(path).to_pylist()) + "\n", "outputs differ"
        assert toon.encode(df) == toon.encode(df.to_dicts()), "outputs differ"
        lines = [
            ("Parquet file -> TOON", "toon.convert(path, 'parquet')", lambda: toon.convert(pathlib.Path(path), "parquet"),
             "pq.read_table(path).to_pylist() -> toon.encode", lambda: toon.encode(pq.read_table(path).to_pylist())),
            ("polars DataFrame -> TOON", "toon.encode(df)", lambda: toon.encode(df),
             "toon.encode(df.to_dicts())", lambda: toon.encode(df.to_dicts())),
        ]
        print(f"{args.rows:,} rows x {df.width} columns; best of {args.repeat}")
        for title, ours_name, ours, theirs_name, theirs in lines:
            a, b = best(ours, args.repeat), best(theirs, args.repeat)
            print(f"{title:26} {ours_name:32} {a * 1e3:8.1f} ms | {theirs_name:48} {b * 1e3:8.1f} ms | {b / a:5.1f}x faster")


if __name__ == "__main__":
    main()
