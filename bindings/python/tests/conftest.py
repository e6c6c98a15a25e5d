"""Shared helpers: where the spec fixtures are."""

import os
import pathlib

REPO = pathlib.Path(__file__).resolve().parents[3]


def spec_dir() -> pathlib.Path | None:
    env = os.environ.get("TOON_SPEC_DIR")
    path = pathlib.Path(env) if env else REPO.parent / "shared" / "toon-spec"
    return path if path.is_dir() else None
