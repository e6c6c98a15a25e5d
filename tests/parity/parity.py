"""One behaviour across the CLI, Python and Node.

Runs the same cases through the `toon` command line, the Python package and the Node
package, and fails on any difference: the same output text (or decoded value), the same
error line, column, category, converter, message, path, hint, expected and found, the
same token counts, the same repairs of a model's reply. The only differences the languages force are listed in
FORCED below, and nowhere else:

- The CLI ends what `encode`, `decode` and `tokens` write with a newline; it is removed
  before comparing (a conversion's output is compared as written).
- Positions are compared as the line and column fields; messages without them.
- The Node binding's decode messages are sentences ("Line 2: Over-indented line: …
  (column 5)"); the runner takes the line prefix, the column suffix and the capital off.

Usage: python tests/parity/parity.py --cli target/debug/toon
(the Python package and bindings/node must be built; scripts/test-all.sh runs this
after both suites).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

import toon

HERE = pathlib.Path(__file__).resolve().parent

DELIMITER_NAMES = {",": "comma", "\t": "tab", "|": "pipe"}

#: Inputs whose results differ for a reason the languages force, with that reason.
#: A case listed here must differ (so the list stays true), and only as described.
FORCED = {
    "decode big integer": "Python decodes an integer literal beyond 2^53 to an exact int "
    "(as json.loads does); JavaScript numbers are doubles, so Node and the CLI's JSON "
    "(JSON.stringify's digits) give the nearest double.",
}

VALID_TOON = [
    "a: 1",
    'users[2]{id,name}:\n  1,Ada\n  2,"Bo, Jr."',
    "items[3]: a,b,c",
    "m[2:]{x,y}:\n  p: 1,2\n  q: 3,4",
    "list[2]:\n  - a: 1\n    b: 2\n  - [2]: x,y",
    "orders[1]{id,customer{name,city}}:\n  1,Ada,Paris",
    "s: \"tab\\there\"\nn: -0.5\ne: 1e-7\nt: true\nnull_: null",
    "# a comment\nk: v",
    "",
    "42",
    '"just a string"',
    "[0]:",
    "nested:\n  deeper:\n    deepest: [1]: z",
    "pipe[2|]: a|b",
    "tab[2\t]{a\tb}:\n  1\t2\n  3\t4",
    "unicode: héllo wörld ✓",
]

INVALID_TOON = [
    "a: 1\n    b: 2",
    "a: 1\na: 2",
    "_meta\n  version: 1",
    "a\nb",
    "x: 1\nfoo",
    "rules[-1]:\n  - a",
    "rules[3]{id,rule}:\n  R1,first\n  R2,second",
    "rules[1]{id,rule,x}:\n  R1,first",
    "rules[3]:\n  - first",
    "rules[1]:\n  - a\n  - b",
    "rules[2]: a",
    "u[2:]{age}:\n  a: 1",
    "u[1:]{age}:\n  a: 1,2",
    "u[2:]{age}:\n  a: 1\n  b",
    "[1]: a\nb: 1",
    'a: "unterminated',
    'a: "x\\q"',
    "a:\n\tb: 1",
    "a:\n   b: 1",
    "r[2]{a,b}:\n  1,2\n\n  3,4",
    "k[2]{a,b}:\n  1,2\n  3",
    '"key: 1',
]

JSON_DOCS = [
    '{"users":[{"id":1,"name":"Ada","tags":["x","y"]},{"id":2,"name":"Bo","tags":[]}]}',
    '{"a":{"b":{"c":[1,2.5,-0.0,1e21,1e-7,"1","true",null,"a,b","x|y","t\\tz"]}}}',
    '[{"id":1,"c":{"n":"A","k":1}},{"id":2,"c":{"n":"B","k":2}}]',
    '{"m":{"p":{"x":1,"y":2},"q":{"x":3,"y":4}}}',
    '{"mixed":[1,{"a":1},[2,3],"s"],"empty":{},"e":[]}',
    '"top"',
    "[]",
    '{"quote":"say \\"hi\\"","colon":"a: b","dash":"- x","lead":" sp","uni":"\\u00e9\\ud83d\\ude00"}',
]

MARKDOWN = "# Title\n\nSome *text* here.\n\n| a | b |\n|---|---|\n| 1 | x |\n| 2 | y |\n\n- [x] done\n- [ ] todo\n"

#: Model replies for `repair`: fences, prose, every kind of fix, cuts, a refusal.
REPLIES = [
    "Here you go:\n\n```toon\nusers[3]{id,name}:\n    1,Ada,\n    2,Bo\n```\n\nMore?\n",
    "users[2]: a,b\nmeta:\n\tn: 2\n   m: 3\n\nThat is all.",
    "```\nrows[1]{x,x}:\n  1,2\nk: 1\nk: 2\n```",
    "users[3]{id,name}:\n  1,Ada\n  2,B",
    "a: 1\nb: \"unfinish",
    "```toon\nrows[2]{a,b}:\n  1,2,3\n  4,5\n```\n",
    "plain: text\nn: 42",
]

TEXTS = ["", "Hello, world!", "users[2]{id,name}:\n  1,Ada\n  2,Bo", "日本語のテキスト " * 20, "   spaces\t\ttabs\n\n\n"]


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A small valid PDF: each page shows its lines in Helvetica."""
    objects: list[bytes] = []
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    font = 3 + 2 * len(pages)
    for i, lines in enumerate(pages):
        content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(
            "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*"
            for line in lines
        ) + " ET"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
        stream = content.encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def git_repository(root: pathlib.Path) -> pathlib.Path:
    """A repository with two commits at fixed dates, a task list and an untracked file."""
    repo = root / "repo"
    repo.mkdir()
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Ada",
        "GIT_AUTHOR_EMAIL": "ada@example.com",
        "GIT_COMMITTER_NAME": "Ada",
        "GIT_COMMITTER_EMAIL": "ada@example.com",
        "GIT_AUTHOR_DATE": "2026-01-02T03:04:05Z",
        "GIT_COMMITTER_DATE": "2026-01-02T03:04:05Z",
    }

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    (repo / "TASKLIST.md").write_text("- [x] parity suite\n- [ ] more\n")
    (repo / "a.txt").write_text("one\n")
    git("add", ".")
    git("commit", "-q", "-m", "first")
    (repo / "a.txt").write_text("two\n")
    git("commit", "-q", "-am", "second: change a")
    (repo / "untracked.txt").write_text("x\n")
    (repo / "a.txt").write_text("three\n")
    return repo


def build_cases(scratch: pathlib.Path) -> list[dict]:
    cases: list[dict] = []
    for doc in JSON_DOCS:
        for delimiter in (",", "\t", "|"):
            for indent in (2, 4):
                cases.append({"name": f"encode {doc[:30]} {DELIMITER_NAMES[delimiter]} {indent}", "op": "encode",
                              "input": doc, "delimiter": delimiter, "indent": indent})
    for text in VALID_TOON + INVALID_TOON:
        for strict in (True, False):
            cases.append({"name": f"decode {text[:30]!r} strict={strict}", "op": "decode", "input": text,
                          "strict": strict, "indent": 2})
    cases.append({"name": "decode indent 4", "op": "decode", "input": "a:\n    b: 1\n    c[2]: x,y",
                  "strict": True, "indent": 4})
    cases.append({"name": "decode indent 4 error", "op": "decode", "input": "a:\n  b: 1", "strict": True,
                  "indent": 4})
    cases.append({"name": "decode big integer", "op": "decode", "input": "a: 123456789012345678901234567890",
                  "strict": True, "indent": 2})
    toon_doc = 'users[2]{id,name}:\n  1,Ada\n  2,"Bo, Jr."\nnote: hi'
    pairs = [
        ("json", "toon", JSON_DOCS[0]), ("json", "md", JSON_DOCS[0]), ("toon", "json", toon_doc),
        ("toon", "md", toon_doc), ("md", "toon", MARKDOWN), ("md", "json", MARKDOWN),
        ("json", "toon", '{"a": 1,}'), ("json", "md", '{"a": [1, 2'), ("toon", "json", "a: 1\na: 2"),
        ("toon", "md", "x[2]: 1"), ("md", "toon", ""), ("json", "json", "{}"),
        ("csv", "toon", 'id,name,score\n1,Ada,9.5\n2,"Bo, Jr.",\n'), ("csv", "json", "zip,n\n02134,1e3\n"),
        ("tsv", "md", "a\tb\n\"x\ttrue\n"), ("csv", "toon", "a,b\n1,2,3\n"), ("csv", "toon", "a,a\n1,2\n"),
    ]
    for source, target, text in pairs:
        cases.append({"name": f"convert {source}->{target} {text[:20]!r}", "op": "convert", "input": text,
                      "from": source, "to": target})
    pdf = scratch / "doc.pdf"
    pdf.write_bytes(pdf_bytes([["Invoice 42", "Total: 9.99 EUR"], ["Page two", "a, b, c"]]))
    broken = scratch / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really a pdf\n")
    repo = git_repository(scratch)
    examples = HERE.parent.parent / "examples" / "data"
    tables = [(examples / "sales.parquet", target) for target in ("toon", "json", "md")]
    tables.append((examples / "sales.csv", "toon"))
    for path, target in [(pdf, "toon"), (pdf, "md"), (pdf, "json"), (broken, "toon"), (repo, "toon"), (repo, "md"),
                         *tables]:
        cases.append({"name": f"convert file {path.name}->{target}", "op": "convert_file", "path": str(path),
                      "to": target, "from": None})
    for reply in REPLIES:
        cases.append({"name": f"repair {reply[:30]!r}", "op": "repair", "input": reply})
    for text in TEXTS:
        for encoding in ("o200k_base", "cl100k_base"):
            cases.append({"name": f"tokens {text[:20]!r} {encoding}", "op": "tokens", "input": text,
                          "encoding": encoding})
    # Writing for models: the cheapest format, a token budget, a schema's prompt.
    examples = HERE.parent.parent / "examples" / "data"
    for name in ("users.json", "orders.json", "project.json"):
        text = (examples / name).read_text()
        for encoding in ("o200k_base", "llama-3.1-70b"):
            cases.append({"name": f"auto {name} {encoding}", "op": "auto", "input": text, "encoding": encoding})
        full = toon.count_tokens(toon.encode(json.loads(text)), "o200k_base")
        for budget in (3, full // 3, full // 2, full + 5):
            cases.append({"name": f"fit {name} {budget}", "op": "fit", "input": text, "max_tokens": budget,
                          "encoding": "o200k_base"})
    for schema in SCHEMAS:
        path = scratch / f"schema-{len(cases)}.json"
        path.write_text(json.dumps(schema))
        cases.append({"name": f"schema {json.dumps(schema)[:40]}", "op": "schema", "schema": json.dumps(schema),
                      "path": str(path)})
    return cases


#: JSON Schemas for the template cases: a table, nested groups, a keyed form, enums.
SCHEMAS = [
    {"type": "object", "properties": {"users": {"type": "array", "items": {
        "type": "object", "properties": {"id": {"type": "integer"}, "email": {"type": "string", "format": "email"}},
        "required": ["id", "email"]}}}, "required": ["users"]},
    {"type": "object", "properties": {
        "status": {"enum": ["open", "closed"], "description": "the ticket's state"},
        "owner": {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"}}},
        "tags": {"type": "array", "items": {"type": "string"}},
        "teams": {"type": "object", "additionalProperties": {"type": "object", "properties": {
            "size": {"type": "integer"}, "lead": {"type": "string"}}}}}},
]


#: The position inside a message (`2:5: …`, `invalid JSON at 1:9: …`): the line and
#: column are compared as fields, the message without them.
POSITION = re.compile(r"^\d+:\d+: |(?<=^invalid JSON) at \d+:\d+")


def python_run(case: dict) -> dict:
    try:
        op = case["op"]
        if op == "encode":
            return {"text": toon.encode(json.loads(case["input"]), delimiter=case["delimiter"],
                                        indent=case["indent"])}
        if op == "decode":
            value = toon.decode(case["input"], strict=case["strict"], indent=case["indent"])
            return {"value": value}
        if op == "convert":
            return {"text": toon.convert(case["input"], case["from"], case["to"])}
        if op == "convert_file":
            return {"text": toon.convert(pathlib.Path(case["path"]), case["from"], case["to"])}
        if op == "tokens":
            return {"count": toon.count_tokens(case["input"], case["encoding"])}
        if op == "auto":
            # The CLI's line gives every candidate's exact count (its contract); the
            # bindings' default stops a dearer count early, so they are asked for exact
            # counts here, and their default must choose the same text.
            value = json.loads(case["input"])
            choice = toon.encode_auto(value, encoding=case["encoding"], exact=True)
            fast = toon.encode_auto(value, encoding=case["encoding"])
            same = (fast.format, fast.text, fast.tokens) == (choice.format, choice.text, choice.tokens)
            return {"text": choice.text, "summary": str(choice) if same else f"default differs: {fast}"}
        if op == "fit":
            fitted = toon.fit_to_budget(json.loads(case["input"]), case["max_tokens"], encoding=case["encoding"])
            return {"text": fitted.text, "cuts": [str(cut) for cut in fitted.cuts]}
        if op == "schema":
            return {"text": toon.Template(json.loads(case["schema"])).prompt}
        if op == "repair":
            fixed = toon.repair(case["input"])
            cut = fixed.truncated
            return {
                "value": fixed.value,
                "repairs": [[r.line, r.column, r.found, r.done] for r in fixed.repairs],
                "truncated": None if cut is None else [cut.line, cut.column, "; ".join(cut.missing)],
            }
        raise ValueError(op)
    except ValueError as error:  # ToonDecodeError and ConvertError are ValueErrors too
        return {"error": {
            "line": getattr(error, "line", 0),
            "column": getattr(error, "column", 0),
            "category": getattr(error, "category", None),
            "converter": getattr(error, "converter", None),
            "message": POSITION.sub("", str(error)),
            "path": getattr(error, "path", None),
            "hint": getattr(error, "hint", None),
            "expected": getattr(error, "expected", None),
            "found": getattr(error, "found", None),
        }}


def cli_run(cli: str, case: dict) -> dict:
    op = case["op"]
    stdin = case.get("input", "")
    if op == "encode":
        args = ["encode", "-", "--delimiter", DELIMITER_NAMES[case["delimiter"]], "--indent", str(case["indent"])]
    elif op == "decode":
        args = ["decode", "-", "--indent", str(case["indent"])] + ([] if case["strict"] else ["--no-strict"])
    elif op == "convert":
        args = ["convert", "-", "--from", case["from"], "--to", case["to"], "-q"]
    elif op == "convert_file":
        args = ["convert", case["path"], "--to", case["to"], "-q", "-o", "-"]
    elif op == "tokens":
        args = ["tokens", "-", "--encoding", case["encoding"]]
    elif op == "repair":
        args = ["repair", "-", "--partial"]
    elif op == "auto":
        args = ["encode", "-", "--auto", "--encoding", case["encoding"]]
    elif op == "fit":
        args = ["encode", "-", "--max-tokens", str(case["max_tokens"]), "--encoding", case["encoding"]]
    elif op == "schema":
        args = ["schema", case["path"]]
    else:
        raise ValueError(op)
    done = subprocess.run([cli, "--error-format", "json", *args], input=stdin.encode(), capture_output=True)
    out = done.stdout.decode()
    if op == "repair" and done.returncode in (0, 3):
        return repair_result(out, done.stderr.decode(), done.returncode)
    if done.returncode != 0:
        lines = [line for line in done.stderr.decode().splitlines() if line.startswith("{")]
        if not lines:
            return {"cli_failed": done.stderr.decode()}
        error = json.loads(lines[0])
        keys = ("line", "column", "category", "converter", "message", "path", "hint", "expected", "found")
        return {"error": {key: error[key] for key in keys}}
    # The CLI ends encode, decode and tokens output with a newline; a conversion's output
    # is written as the converter made it.
    text = out[:-1] if out.endswith("\n") and not op.startswith("convert") else out
    if op == "decode":
        return {"value": json.loads(text)}
    if op == "tokens":
        return {"count": int(text)}
    if op == "auto":
        return {"text": text, "summary": done.stderr.decode().rstrip("\n")}
    if op == "fit":
        return {"text": text, "cuts": done.stderr.decode().splitlines()}
    return {"text": text}


REPORT_LINE = re.compile(r"^(\d+):(\d+): (repaired|truncated): (.*)$")


def repair_result(out: str, err: str, code: int) -> dict:
    """`toon repair --partial`'s stdout (the value) and stderr (a line per fix or cut)."""
    repairs, truncated = [], None
    for line in err.splitlines():
        match = REPORT_LINE.match(line)
        if match is None:
            return {"cli_failed": err}
        place = [int(match[1]), int(match[2])]
        if match[3] == "repaired":
            found, done = match[4].rsplit("; ", 1)
            repairs.append([*place, found, done])
        else:
            truncated = [*place, match[4]]
    if (truncated is not None) != (code == 3):
        return {"cli_failed": f"exit {code} with {err!r}"}
    return {"value": json.loads(out), "repairs": repairs, "truncated": truncated}


def node_results(cases: list[dict], scratch: pathlib.Path) -> list[dict]:
    path = scratch / "cases.json"
    path.write_text(json.dumps(cases))
    done = subprocess.run(["node", str(HERE / "node_runner.cjs"), str(path)], capture_output=True, check=True)
    results = json.loads(done.stdout)
    for result in results:
        if "json" in result:
            result["value"] = json.loads(result.pop("json"))
    return results


def comparable(result: dict, case: dict) -> dict:
    """What must agree: everything but a decode error's converter (there is none)."""
    if "error" in result and case["op"] == "fit":
        # A budget error: the front-ends agree on the sentence (the CLI has no category
        # for it; Python and Node name it `budget`).
        message = result["error"]["message"]
        return {"error": message[:1].lower() + message[1:]}
    if "error" in result:
        error = dict(result["error"])
        if case["op"] in ("convert", "convert_file"):
            error["message"] = POSITION.sub("", error["message"])
        else:
            error.pop("converter", None)
        return {"error": error}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", required=True, help="the toon binary")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = pathlib.Path(scratch_dir)
        cases = build_cases(scratch)
        node = node_results(cases, scratch)
        failures = []
        forced_seen = set()
        for case, from_node in zip(cases, node, strict=True):
            results = {
                "cli": comparable(cli_run(args.cli, case), case),
                "python": comparable(python_run(case), case),
                "node": comparable(from_node, case),
            }
            agree = results["cli"] == results["python"] == results["node"]
            if case["name"] in FORCED:
                forced_seen.add(case["name"])
                if agree:
                    failures.append((case, results, "listed as a forced difference, but all three agree"))
                elif results["cli"] != results["node"]:
                    failures.append((case, results, "the CLI and Node must still agree"))
                continue
            if not agree:
                failures.append((case, results, "the front-ends differ"))
            elif args.verbose:
                print(f"ok   {case['name']}")
        for name in FORCED.keys() - forced_seen:
            failures.append(({"name": name}, {}, "a FORCED entry names no case"))
    for case, results, why in failures:
        print(f"FAIL {case['name']}: {why}")
        for front, result in results.items():
            print(f"  {front:6} {json.dumps(result, ensure_ascii=False)[:400]}")
    errors = sum(1 for _, _, why in failures)
    print(f"parity: {len(cases)} cases through the CLI, Python and Node; {errors} differ; "
          f"{len(FORCED)} forced differences listed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
