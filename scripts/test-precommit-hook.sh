#!/usr/bin/env bash
# The pre-commit hooks as a new user gets them: the real `pre-commit` tool, a scratch git
# repository whose .pre-commit-config.yaml names this checkout at its HEAD commit, and
# no `toon` on PATH. pre-commit must build the CLI itself (the root pyproject.toml) and
# the hooks must then regenerate and stage .md files, block a commit of invalid TOON
# with FILE:LINE:COL, and fail the check hook on a stale .md.
#
# Usage: ./scripts/test-precommit-hook.sh   (scripts/test-all.sh runs it)
#
# It tests the committed HEAD (pre-commit clones the repository at a revision), so
# uncommitted changes are not part of the run. It prints the time of the first install
# (the build of the CLI) and of a commit that renders 10 files, and ends with a line
# `N passed, N failed`.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=$root/target/precommit-venv
passed=0
failed=0

# Records one check: its description, then the command whose success is the check.
check() {
  local what=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok: $what"
  else
    failed=$((failed + 1))
    echo "FAILED: $what" >&2
  fi
}

# Seconds since the epoch, with milliseconds.
now() {
  date +%s.%N
}

# Milliseconds between two `now` readings.
elapsed_ms() {
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b - a) * 1000 }'
}

python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q pre-commit

if [[ -n $(git -C "$root" status --porcelain --untracked-files=no) ]]; then
  echo "note: the work tree has uncommitted changes; the hooks are tested at HEAD"
fi
rev=$(git -C "$root" rev-parse HEAD)

# A PATH without any `toon`, so only the hook's own environment can provide one.
path=""
IFS=: read -r -a dirs <<<"$PATH"
for dir in "${dirs[@]}"; do
  if [[ -n $dir && ! -x $dir/toon ]]; then
    path=${path:+$path:}$dir
  fi
done
export PATH=$path
check "no toon on PATH before the hooks are installed" bash -c '! command -v toon >/dev/null'

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A pre-commit cache of its own: the hook environment is built from scratch.
export PRE_COMMIT_HOME=$work/cache
repo=$work/repo
mkdir "$repo"
cd "$repo"
git init -q
git config user.email test@example.com
git config user.name "toon test"
git config commit.gpgsign false
cat >.pre-commit-config.yaml <<EOF
repos:
  - repo: $root
    rev: $rev
    hooks:
      - id: toon-precommit
      - id: toon-precommit-check
        stages: [manual]
EOF
git add .pre-commit-config.yaml
git commit -q --no-verify -m "pre-commit config"

start=$(now)
"$venv/bin/pre-commit" install --install-hooks >"$work/install.log" 2>&1 || {
  cat "$work/install.log" >&2
  echo "test-precommit-hook: pre-commit install failed" >&2
  exit 1
}
install_ms=$(elapsed_ms "$start" "$(now)")
echo "first pre-commit install (builds the toon CLI): ${install_ms} ms"
hook_toon=$(find "$PRE_COMMIT_HOME" -path '*/bin/toon' -type f | head -1)
check "the hook environment has its own toon binary" test -x "$hook_toon"

# Ten valid .toon files in one commit: each gets its .md, staged with it.
mkdir docs
for i in 0 1 2 3 4 5 6 7 8 9; do
  printf 'title: Plan %d\nrows[2]{step,owner}:\n  design,Ada\n  build,Bo\n' "$i" >"docs/plan$i.toon"
done
git add docs
start=$(now)
if git commit -q -m "plans" >"$work/commit.log" 2>&1; then
  check "a commit of 10 valid .toon files passes the hook" true
else
  cat "$work/commit.log" >&2
  check "a commit of 10 valid .toon files passes the hook" false
fi
commit_ms=$(elapsed_ms "$start" "$(now)")
echo "commit with the hook rendering 10 files: ${commit_ms} ms"
committed=$(git ls-tree -r --name-only HEAD docs | grep -c '\.md$' || true)
check "the 10 .md files are in the commit" test "$committed" -eq 10
check "a .md holds the Markdown table of its .toon" \
  bash -c 'git show HEAD:docs/plan3.md | grep -q "| step | owner |" && git show HEAD:docs/plan3.md | grep -q "| design | Ada |"'
check "the work tree is clean after the commit" test -z "$(git status --porcelain)"

# Invalid TOON blocks the commit and names the place.
head_before=$(git rev-parse HEAD)
printf 'rows[2]{a,b}:\n  1,2\n  3\n' >docs/bad.toon
git add docs/bad.toon
if git commit -q -m "bad" >"$work/bad.log" 2>&1; then
  check "a commit of invalid TOON is blocked" false
else
  check "a commit of invalid TOON is blocked" test "$(git rev-parse HEAD)" = "$head_before"
fi
check "the hook reports FILE:LINE:COL for the invalid file" grep -q 'docs/bad.toon:3:3: ' "$work/bad.log"
check "nothing was written for the blocked commit" test ! -e docs/bad.md
git rm -q --cached docs/bad.toon
rm docs/bad.toon

# The check hook passes on fresh .md files and fails on a stale one.
check "toon-precommit-check passes when every .md is fresh" \
  "$venv/bin/pre-commit" run toon-precommit-check --all-files --hook-stage manual
printf 'stale\n' >docs/plan0.md
git add docs/plan0.md
git commit -q --no-verify -m "stale markdown"
if "$venv/bin/pre-commit" run toon-precommit-check --all-files --hook-stage manual >"$work/check.log" 2>&1; then
  check "toon-precommit-check fails on a stale .md" false
else
  check "toon-precommit-check fails on a stale .md" grep -q 'docs/plan0.md: stale' "$work/check.log"
fi

echo "pre-commit hook: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
