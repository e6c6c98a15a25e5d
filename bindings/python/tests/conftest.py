"""Shared helpers: where the spec fixtures are, and running a check in a forked child."""

import os
import pathlib
import time
from collections.abc import Callable

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]
# Where the spec suite is looked for when $TOON_SPEC_DIR is not set.
SPEC_BESIDE_REPO = REPO.parent / "shared" / "toon-spec"
# TOON_SKIP_SPEC=1: missing spec fixtures are skipped on request instead of failing.
SKIP_SPEC_REQUESTED = os.environ.get("TOON_SKIP_SPEC") == "1"


def spec_dir() -> pathlib.Path | None:
    """`$TOON_SPEC_DIR`, or `shared/toon-spec` beside the repository; None unless it holds
    `fixtures/`."""
    env = os.environ.get("TOON_SPEC_DIR")
    path = pathlib.Path(env) if env else SPEC_BESIDE_REPO
    return path if (path / "fixtures").is_dir() else None


def spec_places() -> list[str]:
    """The places `spec_dir` looked, for messages."""
    env = os.environ.get("TOON_SPEC_DIR")
    beside = f"../shared/toon-spec beside the repository: {SPEC_BESIDE_REPO}"
    if env:
        return [
            f"$TOON_SPEC_DIR: {env} (no fixtures/ folder there)",
            f"{beside} (not used while TOON_SPEC_DIR is set)",
        ]
    return ["$TOON_SPEC_DIR: not set", f"{beside} (no fixtures/ folder there)"]


def missing_spec_message(what: str) -> str:
    """Why a test that needs the spec fixtures fails when they are missing, and the fix."""
    env, beside = spec_places()
    return (
        f"{what}: the TOON spec fixtures were not found.\n  looked in {env}\n  looked in {beside}\n"
        "Set TOON_SPEC_DIR to the toon-spec folder (the one holding fixtures/), or put the suite "
        f"at {SPEC_BESIDE_REPO}; or set TOON_SKIP_SPEC=1 to skip the spec fixtures explicitly."
    )


def passes_in_forked_child(check: Callable[[], bool], what: str, timeout: float = 30) -> None:
    """Forks, runs `check` in the child, and fails the test unless it returns True within
    `timeout` seconds (a child that hangs is killed and reported as `what` hung)."""
    pid = os.fork()
    if pid == 0:
        ok = False
        try:
            ok = check()
        finally:
            os._exit(0 if ok else 1)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.WEXITSTATUS(status) == 0, f"{what} gave a wrong result in the forked child"
            return
        time.sleep(0.05)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    pytest.fail(f"{what} hung in the forked child")
