#!/usr/bin/env bash
# The three-language Redis test: the `toon` CLI, the Python package and the Node package
# share one real redis-server (started by the test on a free port) and hit each other's
# token counts and conversions (scripts/test_shared_redis.py).
#
# Usage: ./scripts/test-shared-redis.sh [PYTHON]
#   PYTHON: an interpreter with the `toon` package and pytest installed (default
#   target/py-venv/bin/python, the virtualenv scripts/test-all.sh makes). The Node addon
#   must be built in bindings/node (`npm run build`); this script builds the CLI.
# Without redis-server the test fails, unless TOON_SKIP_REDIS=1.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

python=${1:-target/py-venv/bin/python}
target_dir=${CARGO_TARGET_DIR:-target}

cargo build -p toon-cli
export TOON_CLI="$PWD/$target_dir/debug/toon"
if [[ $target_dir == /* ]]; then
  export TOON_CLI="$target_dir/debug/toon"
fi
export TOON_NODE_DIR="$PWD/bindings/node"
"$python" -m pytest -q -p no:cacheprovider scripts/test_shared_redis.py
