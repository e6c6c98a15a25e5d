"""Goal P4: toon.encode / toon.decode next to json.dumps / json.loads and the peer TOON
packages (toons, etoon, toon-format), on the four benchmark corpora as Python objects,
in one process, best of N rounds each.

    python bench.py [--rounds 7] [--corpus-dir DIR]

The corpora are the ones the Rust benches use; they are written by
`cargo run -q --release -p toon-benches --bin corpora -- DIR` (done automatically when
--corpus-dir is not given).
"""

from __future__ import annotations

import argparse
import importlib
import json
import pathlib
import subprocess
import sys
import tempfile
import time

import toon

CORPORA = ["tabular", "github", "twitter", "checkpoint"]


def best_of(rounds: int, fn, *args) -> float:
    """Best wall time of one call, in seconds (enough inner repetitions for ~20 ms)."""
    start = time.perf_counter()
    fn(*args)
    once = max(time.perf_counter() - start, 1e-6)
    inner = max(1, int(0.02 / once))
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(inner):
            fn(*args)
        best = min(best, (time.perf_counter() - start) / inner)
    return best


def peers():
    """(name, encode, decode-or-None) for each installed peer package."""
    found = []
    try:
        toons = importlib.import_module("toons")
        found.append(("toons", toons.dumps, toons.loads))
    except ImportError:
        pass
    try:
        etoon = importlib.import_module("etoon")
        encode = getattr(etoon, "dumps", None) or getattr(etoon, "encode")
        found.append(("etoon", encode, None))
    except (ImportError, AttributeError):
        pass
    try:
        official = importlib.import_module("toon_format")
        found.append(("toon-format", official.encode, official.decode))
    except (ImportError, AttributeError):
        pass
    return found


def load_corpora(directory: pathlib.Path | None) -> dict[str, object]:
    if directory is None:
        directory = pathlib.Path(tempfile.mkdtemp(prefix="toon-corpora-"))
        root = pathlib.Path(__file__).resolve().parents[3]
        subprocess.run(
            ["cargo", "run", "-q", "--release", "-p", "toon-benches", "--bin", "corpora", "--", str(directory)],
            cwd=root,
            check=True,
        )
    return {name: json.loads((directory / f"{name}.json").read_text()) for name in CORPORA}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--corpus-dir", type=pathlib.Path)
    args = parser.parse_args()
    data = load_corpora(args.corpus_dir)
    others = peers()
    print(f"Python {sys.version.split()[0]}, toon {toon.__version__}; peers: {', '.join(p[0] for p in others) or 'none'}")
    header = "| corpus | json.dumps | toon.encode | ratio | " + " | ".join(f"{p[0]} encode | toon × faster" for p in others) + " |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for name, obj in data.items():
        dumps = best_of(args.rounds, json.dumps, obj)
        ours = best_of(args.rounds, toon.encode, obj)
        cells = [name, f"{dumps * 1e6:.0f} µs", f"{ours * 1e6:.0f} µs", f"{ours / dumps:.2f}×"]
        for peer_name, encode, _ in others:
            try:
                theirs = best_of(args.rounds, encode, obj)
                cells += [f"{theirs * 1e6:.0f} µs", f"{theirs / ours:.1f}×"]
            except Exception as error:  # a peer that cannot handle a corpus is reported, not hidden
                cells += [f"error: {type(error).__name__}", "–"]
        print("| " + " | ".join(cells) + " |")
    print()
    header = "| corpus | json.loads | toon.decode | ratio | " + " | ".join(
        f"{p[0]} decode | toon × faster" for p in others if p[2]
    ) + " |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for name, obj in data.items():
        text_json = json.dumps(obj)
        text_toon = toon.encode(obj)
        loads = best_of(args.rounds, json.loads, text_json)
        ours = best_of(args.rounds, toon.decode, text_toon)
        cells = [name, f"{loads * 1e6:.0f} µs", f"{ours * 1e6:.0f} µs", f"{ours / loads:.2f}×"]
        for peer_name, _, decode in others:
            if decode is None:
                continue
            try:
                theirs = best_of(args.rounds, decode, text_toon)
                cells += [f"{theirs * 1e6:.0f} µs", f"{theirs / ours:.1f}×"]
            except Exception as error:
                cells += [f"error: {type(error).__name__}", "–"]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
