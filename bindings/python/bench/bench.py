"""Goal P4: toon.encode / toon.encode_bytes / toon.decode next to json.dumps / json.loads,
orjson (dumps and loads, when installed) and the peer TOON packages (toons, etoon,
toon-format), on the four benchmark corpora as Python objects, in one process, best of N
rounds each.

    python bench.py [--rounds 7] [--corpus-dir DIR] [--json FILE]

--json FILE also writes the times as a bench result file, which
`cargo run -p toon-benches --bin bench-charts -- FILE` draws (ratios to json.dumps /
json.loads).

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

try:
    # Not a TOON peer: the fastest known walk of Python objects into text (JSON bytes,
    # no str built), shown as a floor for what any encoder's walk can cost.
    import orjson
except ImportError:
    orjson = None

CORPORA = ["tabular", "github", "twitter", "checkpoint"]


def timings(rounds: int, lines: dict[str, tuple]) -> dict[str, float]:
    """Best wall time of one call per line, in seconds. Each round times every line once
    (enough inner repetitions for ~20 ms), so load from elsewhere hits all lines alike."""
    inner = {}
    for name, (fn, arg) in lines.items():
        start = time.perf_counter()
        fn(arg)
        inner[name] = max(1, int(0.02 / max(time.perf_counter() - start, 1e-6)))
    best = {name: float("inf") for name in lines}
    for _ in range(rounds):
        for name, (fn, arg) in lines.items():
            start = time.perf_counter()
            for _ in range(inner[name]):
                fn(arg)
            best[name] = min(best[name], (time.perf_counter() - start) / inner[name])
    return best


def works(fn, arg) -> str | None:
    """None when `fn(arg)` runs, else the error's type name (reported, not hidden)."""
    try:
        fn(arg)
        return None
    except Exception as error:  # a peer that cannot handle a corpus is reported as such
        return type(error).__name__


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
    parser.add_argument("--json", type=pathlib.Path, help="write the times as a bench result file")
    args = parser.parse_args()
    # (group, series, seconds) of every timed line, for --json.
    results: list[tuple[str, str, float]] = []
    data = load_corpora(args.corpus_dir)
    others = peers()
    print(f"Python {sys.version.split()[0]}, toon {toon.__version__}; peers: {', '.join(p[0] for p in others) or 'none'}")
    print("Times are the best of", args.rounds, "interleaved rounds; ratios are time ÷ time in the same run.")
    print()
    columns = ["corpus", "json.dumps", "toon.encode", "÷ json.dumps", "toon.encode_bytes"]
    columns += [c for p in others for c in (p[0], f"{p[0]} ÷ toon")]
    if orjson is not None:
        columns += ["orjson.dumps (floor)", "encode ÷ orjson", "encode_bytes ÷ orjson"]
    header = "| " + " | ".join(columns) + " |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for name, obj in data.items():
        lines = {"json": (json.dumps, obj), "toon": (toon.encode, obj), "bytes": (toon.encode_bytes, obj)}
        if orjson is not None:
            lines["orjson"] = (orjson.dumps, obj)
        failed = {}
        for peer_name, encode, _ in others:
            error = works(encode, obj)
            if error is None:
                lines[peer_name] = (encode, obj)
            else:
                failed[peer_name] = error
        best = timings(args.rounds, lines)
        results += record(
            f"{name} encode",
            best,
            {"json": "json.dumps", "toon": "toon.encode", "bytes": "toon.encode_bytes", "orjson": "orjson.dumps"},
        )
        ours = best["toon"]
        cells = [name, f"{best['json'] * 1e6:.0f} µs", f"{ours * 1e6:.0f} µs", f"{ours / best['json']:.2f}×"]
        cells.append(f"{best['bytes'] * 1e6:.0f} µs")
        for peer_name, _, _ in others:
            if peer_name in failed:
                cells += [f"error: {failed[peer_name]}", "–"]
            else:
                cells += [f"{best[peer_name] * 1e6:.0f} µs", f"{best[peer_name] / ours:.1f}×"]
        if orjson is not None:
            cells += [
                f"{best['orjson'] * 1e6:.0f} µs",
                f"{ours / best['orjson']:.2f}×",
                f"{best['bytes'] / best['orjson']:.2f}×",
            ]
        print("| " + " | ".join(cells) + " |")
    print()
    decoders = [p for p in others if p[2]]
    columns = ["corpus", "json.loads", "toon.decode", "÷ json.loads"]
    columns += [c for p in decoders for c in (p[0], f"{p[0]} ÷ toon")]
    if orjson is not None:
        columns += ["orjson.loads", "÷ orjson.loads"]
    header = "| " + " | ".join(columns) + " |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for name, obj in data.items():
        text_json = json.dumps(obj)
        text_toon = toon.encode(obj)
        lines = {"json": (json.loads, text_json), "toon": (toon.decode, text_toon)}
        if orjson is not None:
            lines["orjson"] = (orjson.loads, text_json)
        failed = {}
        for peer_name, _, decode in decoders:
            error = works(decode, text_toon)
            if error is None:
                lines[peer_name] = (decode, text_toon)
            else:
                failed[peer_name] = error
        best = timings(args.rounds, lines)
        results += record(f"{name} decode", best, {"json": "json.loads", "toon": "toon.decode", "orjson": "orjson.loads"})
        ours = best["toon"]
        cells = [name, f"{best['json'] * 1e6:.0f} µs", f"{ours * 1e6:.0f} µs", f"{ours / best['json']:.2f}×"]
        for peer_name, _, _ in decoders:
            if peer_name in failed:
                cells += [f"error: {failed[peer_name]}", "–"]
            else:
                cells += [f"{best[peer_name] * 1e6:.0f} µs", f"{best[peer_name] / ours:.1f}×"]
        if orjson is not None:
            cells += [f"{best['orjson'] * 1e6:.0f} µs", f"{ours / best['orjson']:.2f}×"]
        print("| " + " | ".join(cells) + " |")
    print()
    print("Checks (before timing):")
    for name, obj in data.items():
        ours = toon.encode(obj)
        notes = [f"toon.decode {'returns' if toon.decode(ours) == obj else 'DOES NOT return'} the corpus"]
        for peer_name, encode, decode in others:
            try:
                theirs = encode(obj)
                notes.append(f"{peer_name} output {'identical to' if theirs == ours else 'DIFFERS from'} toon's")
                if decode is not None:
                    back = decode(ours)
                    notes.append(f"{peer_name} decode {'returns' if back == obj else 'DOES NOT return'} the corpus")
            except Exception as error:
                notes.append(f"{peer_name}: {type(error).__name__}")
        print(f"- {name}: " + "; ".join(notes))
    if args.json is not None:
        write_results(args.json, results)


def record(group: str, best: dict[str, float], names: dict[str, str]) -> list[tuple[str, str, float]]:
    """The lines of one table row as (group, series, seconds); peers keep their names."""
    return [(group, names.get(line, line), seconds) for line, seconds in best.items()]


def write_results(path: pathlib.Path, results: list[tuple[str, str, float]]) -> None:
    """A bench result file (toon_benches::report::results), drawn by bench-charts."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "title": "Python: speed against json.dumps / json.loads (bench/bench.py)",
        "unit": "seconds",
        "higher_is_better": False,
        "baselines": ["json.dumps", "json.loads"],
        "rows": [{"group": g, "series": s, "value": v} for g, s, v in results],
    }
    path.write_text(json.dumps(document, indent=2))
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
