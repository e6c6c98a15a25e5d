"""Shared helpers: where the spec fixtures are, and running a check in a forked child."""

import os
import pathlib
import time
from collections.abc import Callable

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]


def spec_dir() -> pathlib.Path | None:
    env = os.environ.get("TOON_SPEC_DIR")
    path = pathlib.Path(env) if env else REPO.parent / "shared" / "toon-spec"
    return path if path.is_dir() else None


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
