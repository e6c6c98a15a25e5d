"""toon.convert and toon.converters: every converter, round trips, paths, errors."""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

import pytest

import toon
from conftest import passes_in_forked_child

DATA = {
    "name": "Demo",
    "users": [{"id": 1, "name": "Ada", "score": 9.5}, {"id": 2, "name": "B|o", "score": -1}],
    "tags": ["a", "b"],
    "nested": {"deep": {"flag": True, "none": None}},
}


def test_the_list_of_converters():
    found = {(c.source, c.target): c.name for c in toon.converters()}
    assert found == {
        ("json", "toon"): "json-to-toon",
        ("toon", "json"): "toon-to-json",
        ("toon", "md"): "toon-to-markdown",
        ("md", "toon"): "markdown-to-toon",
        ("pdf", "toon"): "pdf-to-toon",
        ("checkpoint", "toon"): "checkpoint-to-toon",
        ("csv", "toon"): "csv-to-toon",
        ("tsv", "toon"): "tsv-to-toon",
        ("parquet", "toon"): "parquet-to-toon",
        ("arrow", "toon"): "arrow-to-toon",
    }
    markdown = next(c for c in toon.converters() if c.name == "markdown-to-toon")
    assert markdown.extensions == ["md", "markdown"]
    assert repr(markdown) == "ConverterInfo(name='markdown-to-toon', source='md', target='toon')"


def test_csv_and_tsv_become_one_typed_table():
    csv_text = 'id,name,score\n1,Ada,9.5\n2,"Bo, Jr.",\n'
    assert toon.convert(csv_text, "csv") == '[2]{id,name,score}:\n  1,Ada,9.5\n  2,"Bo, Jr.",null\n'
    assert json.loads(toon.convert(csv_text, "csv", "json")) == [
        {"id": 1, "name": "Ada", "score": 9.5},
        {"id": 2, "name": "Bo, Jr.", "score": None},
    ]
    assert toon.convert(b"a\tb\n\"x\t02134\n", "tsv") == '[1]{a,b}:\n  "\\"x","02134"\n'
    with pytest.raises(toon.ConvertError) as error:
        toon.convert("a,b\n1,2,3\n", "csv")
    assert (error.value.line, error.value.column) == (2, 1)
    assert error.value.converter == "csv-to-toon"
    assert "this row has 3 cells, the header has 2" in str(error.value)


def test_parquet_files_become_their_typed_table():
    data = pathlib.Path(__file__).parents[3] / "examples" / "data"
    expected = (data / "sales.toon").read_text()
    assert toon.convert(data / "sales.parquet") == expected
    assert toon.convert((data / "sales.parquet").read_bytes(), "parquet") == expected
    with pytest.raises(toon.ConvertError, match="invalid Parquet"):
        toon.convert(b"PAR1 no", "parquet")


def test_json_to_toon_is_the_encoder_with_a_final_newline():
    text = json.dumps(DATA)
    assert toon.convert(text, "json", "toon") == toon.encode(DATA) + "\n"
    assert toon.convert(text, "json") == toon.encode(DATA) + "\n"  # target defaults to toon
    assert toon.convert(text.encode(), "json") == toon.encode(DATA) + "\n"
    assert toon.convert(bytearray(text.encode()), "json") == toon.encode(DATA) + "\n"


def test_toon_json_round_trip():
    toon_text = toon.convert(json.dumps(DATA), "json", "toon")
    json_text = toon.convert(toon_text, "toon", "json")
    assert json.loads(json_text) == DATA
    assert json_text.endswith("\n") and "\n" not in json_text[:-1]  # compact, one line


def test_toon_to_markdown_and_back():
    source = 'name: Demo\nusers[2]{id,name}:\n  1,Ada\n  2,"B|o"\ntags[2]: a,b'
    markdown = toon.convert(source, "toon", "md")
    assert markdown == (
        "- **name**: Demo\n\n# users\n\n| id | name |\n| --- | --- |\n| 1 | Ada |\n"
        "| 2 | B\\|o |\n\n# tags\n\n- a\n- b\n"
    )
    back = toon.convert(markdown, "markdown", "toon")  # "markdown" is an alias of "md"
    # Markdown does not mark types: table cells come back as text.
    assert toon.decode(back) == {
        "name": "Demo",
        "users": [{"id": "1", "name": "Ada"}, {"id": "2", "name": "B|o"}],
        "tags": ["a", "b"],
    }
    # Markdown → TOON → Markdown → TOON is stable from the second pass.
    again = toon.convert(toon.convert(back, "toon", "md"), "md", "toon")
    assert again == back


def test_paths_choose_the_source_by_extension(tmp_path):
    path = tmp_path / "data.json"
    path.write_text(json.dumps(DATA))
    expected = toon.encode(DATA) + "\n"
    assert toon.convert(path) == expected
    assert toon.convert(path, "json", "toon") == expected
    notes = tmp_path / "notes.markdown"
    notes.write_text("# Title\n\n- **a**: 1\n")
    assert toon.decode(toon.convert(notes)) == {"Title": {"a": "1"}}  # Markdown text stays text
    # A plain str is the document, never a path.
    with pytest.raises(toon.ConvertError):
        toon.convert(str(path), "json")


def test_errors_carry_the_location():
    with pytest.raises(toon.ConvertError) as info:
        toon.convert('{\n  "a": x\n}', "json", "toon")
    error = info.value
    assert isinstance(error, ValueError)
    assert (error.line, error.column) == (2, 8)
    assert (error.converter, error.source, error.target) == ("json-to-toon", "json", "toon")
    assert str(error).startswith("invalid JSON at 2:8")
    assert error.snippet == '  "a": x\n       ^'

    with pytest.raises(toon.ConvertError) as info:
        toon.convert("rows[2]{a,b}:\n  1,2\n  3", "toon", "md")
    assert (info.value.line, info.value.column) == (3, 3)
    assert info.value.converter == "toon-to-markdown"
    assert "  3" in info.value.snippet and "^" in info.value.snippet

    with pytest.raises(toon.ConvertError) as info:
        toon.convert(b"a: 1\nb: \xff", "toon", "json")
    assert info.value.line == 2
    assert info.value.converter == "toon-to-json"


def test_errors_without_location_have_zero_line_and_column():
    with pytest.raises(toon.ConvertError) as info:
        toon.convert(b"this is not a PDF", "pdf")
    assert (info.value.line, info.value.column) == (0, 0)
    assert info.value.converter == "pdf-to-toon"


def test_markdown_to_json_goes_through_toon_as_in_the_cli_and_node():
    # No direct converter: the standard registry routes Markdown → TOON → JSON. The
    # expected text is the file the CLI and Node suites compare with too.
    data = pathlib.Path(__file__).resolve().parents[3] / "examples" / "data"
    markdown = (data / "notes.md").read_text()
    expected = (data / "notes.json").read_text()
    assert toon.convert(markdown, "md", "json") == expected
    assert toon.convert(data / "notes.md", target="json") == expected
    two_steps = toon.convert(toon.convert(markdown, "md", "toon"), "toon", "json")
    assert two_steps == expected


def test_a_failing_step_of_a_route_is_named():
    # The Markdown parses; the TOON it becomes is fine; so a failure names its step.
    with pytest.raises(toon.ConvertError) as info:
        toon.convert(b"\xff", "md", "json")
    assert info.value.converter == "markdown-to-toon"


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown format"):
        toon.convert("{}", "yaml", "toon")
    with pytest.raises(ValueError, match="no converter from toon to pdf"):
        toon.convert("a: 1", "toon", "pdf")
    with pytest.raises(ValueError, match="source= is required"):
        toon.convert("{}")
    with pytest.raises(TypeError, match="int"):
        toon.convert(42, "json")
    with pytest.raises(FileNotFoundError) as info:
        toon.convert(pathlib.Path("/nonexistent/data.json"))
    assert info.value.filename == "/nonexistent/data.json"
    assert info.value.errno == 2
    with pytest.raises(ValueError, match="cannot tell the format"):
        toon.convert(pathlib.Path("data.unknown"))


def minimal_pdf(*pages):
    """A PDF with one page per argument (a list of lines) shown in Helvetica, with a
    correct cross-reference table."""
    count = len(pages)
    # Objects: 1 catalog, 2 page tree, 3 font, then a page and its content per page.
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, lines in enumerate(pages):
        text = "".join(f"({line}) Tj 0 -20 Td " for line in lines)
        stream = f"BT /F1 12 Tf 72 720 Td {text}ET".encode()
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {5 + 2 * i} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
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


def test_pdf_to_toon(tmp_path):
    pdf = minimal_pdf(["Hello from page one", "second line"], ["Page two"])
    from_bytes = toon.convert(pdf, "pdf")
    decoded = toon.decode(from_bytes)
    assert decoded["page_count"] == 2
    assert [page["page"] for page in decoded["pages"]] == [1, 2]
    assert "Hello from page one" in decoded["pages"][0]["text"]
    assert "second line" in decoded["pages"][0]["text"]
    assert decoded["pages"][1]["text"].strip() == "Page two"
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    assert toon.convert(path) == from_bytes


@pytest.mark.skipif(sys.platform == "win32", reason="fork is POSIX-only")
def test_pdf_in_a_child_forked_after_the_parent_converted_in_parallel():
    pdf = minimal_pdf(*[[f"page {i}"] for i in range(8)])
    expected = toon.convert(pdf, "pdf")  # pages are extracted on the parallel pool here
    passes_in_forked_child(lambda: toon.convert(pdf, "pdf") == expected, "convert")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_checkpoint_of_a_git_repository(tmp_path):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q", "-b", "trunk")
    git("config", "user.email", "ada@example.com")
    git("config", "user.name", "Ada")
    (tmp_path / "README.md").write_text("hello\n")
    git("add", "README.md")
    git("commit", "-q", "-m", "first commit")
    (tmp_path / "new.txt").write_text("untracked\n")
    output = toon.convert(tmp_path)  # a directory is a checkpoint source
    snapshot = toon.decode(output)
    text = json.dumps(snapshot)
    assert "trunk" in text
    assert "first commit" in text
    assert "new.txt" in text
    with pytest.raises(toon.ConvertError) as info:
        toon.convert(b"bytes are not a repository", "checkpoint")
    assert info.value.converter == "checkpoint-to-toon"
