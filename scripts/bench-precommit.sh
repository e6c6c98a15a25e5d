#!/usr/bin/env bash
# Goal P6: `toon precommit` on 10 and on 1,000 staged .toon files, timed by hyperfine on
# the release binary in generated repositories.
#
#   scripts/bench-precommit.sh            build, generate, measure (needs git, hyperfine)
#   TOON=/path/to/toon scripts/bench-precommit.sh     measure an existing binary
#
# Each timed run does the whole job: before every run (`--prepare`, not timed) the state
# before a commit is restored (see reset_create and reset_update below), so precommit
# reads every staged blob, renders it, writes every .md and stages them all. The
# repositories live in a temporary directory (under $WORKDIR when set, e.g.
# WORKDIR=/dev/shm for a RAM disk) and use their own git configuration (no global or
# system file). RUNS sets the number of timed runs (default 30).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -z "${TOON:-}" ]]; then
    cargo build --release -q -p toon-cli
    TOON="${CARGO_TARGET_DIR:-target}/release/toon"
fi
TOON="$(cd "$(dirname "$TOON")" && pwd)/$(basename "$TOON")"
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
work="$(mktemp -d "${WORKDIR:-${TMPDIR:-/tmp}}/toon-bench-precommit.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# One .toon file of about 1 KB: fields, a nested object, a table of 12 rows, a list.
toon_file() {
    local n=$1
    printf 'title: Document %d\nversion: %d\nowner:\n  name: Team %d\n  email: team%d@example.com\n' \
        "$n" "$n" "$((n % 7))" "$((n % 7))"
    printf 'rows[12]{id,name,role,active,score}:\n'
    for i in $(seq 1 12); do
        printf '  %d,User %d-%d,%s,%s,%d.%d\n' "$i" "$n" "$i" \
            "$([[ $((i % 3)) == 0 ]] && echo admin || echo member)" \
            "$([[ $((i % 2)) == 0 ]] && echo true || echo false)" "$((i * 7 % 100))" "$((n % 10))"
    done
    printf 'tags[4]: alpha,beta,gamma,doc-%d\nnotes: "Generated for the precommit benchmark, file %d."\n' "$n" "$n"
}

# A repository with $2 staged .toon files in 10 directories. Scenario `create`: the
# first commit holds only a README, the .toon files are new and their .md do not exist.
# Scenario `update`: the first commit holds the .toon files and their .md, every .toon
# is then edited and staged, so every .md must be rewritten.
make_repo() {
    local dir=$1 count=$2 scenario=$3
    git init -q -b main "$dir"
    git -C "$dir" config user.name bench
    git -C "$dir" config user.email bench@example.com
    git -C "$dir" config commit.gpgsign false
    echo "bench" >"$dir/README"
    git -C "$dir" add README
    for n in $(seq 1 "$count"); do
        mkdir -p "$dir/docs/d$((n % 10))"
        toon_file "$n" >"$dir/docs/d$((n % 10))/file$n.toon"
    done
    if [[ "$scenario" == update ]]; then
        git -C "$dir" add docs
        (cd "$dir" && "$TOON" precommit --quiet)
        git -C "$dir" commit -q -m "documents and their .md"
        for n in $(seq 1 "$count"); do
            sed -i "s/^version: .*/version: $((n + 1))/" "$dir/docs/d$((n % 10))/file$n.toon"
        done
    fi
    git -C "$dir" commit -q -m init --allow-empty
    git -C "$dir" add docs
}

# The state before the hook runs, restored before every timed run. `create`: no .md in
# the index or the work tree. `update`: the index holds the committed .md and the work
# tree's .md are overwritten in place with other bytes (bash's `1<>` does not truncate).
# The sync keeps the cost of these writes (journal commits, discards) out of the timed
# run.
reset_create="git rm -q -r --cached --ignore-unmatch -- '*.md' >/dev/null && find docs -name '*.md' -delete && sync"
reset_update="git reset -q -- '*.md' && for f in docs/*/*.md; do printf 'stale' 1<>\"\$f\"; done && sync"

for scenario in create update; do
    for count in 10 1000; do
        repo="$work/$scenario-$count"
        make_repo "$repo" "$count" "$scenario"
        reset="reset_$scenario"
        (
            cd "$repo"
            # Sanity: one run rewrites and stages every .md.
            bash -c "${!reset}"
            "$TOON" precommit --quiet
            staged_md=$(git diff --cached --name-only -- '*.md' | wc -l)
            [[ "$staged_md" == "$count" ]] || { echo "expected $count staged .md, got $staged_md" >&2; exit 1; }
            hyperfine --warmup 3 --runs "${RUNS:-30}" -N \
                --prepare "bash -c \"${!reset//\"/\\\"}\"" \
                --command-name "toon precommit ($scenario), $count staged .toon files" \
                "$TOON precommit --quiet"
            if [[ "$scenario" == create ]]; then
                hyperfine --warmup 3 --runs "${RUNS:-30}" -N \
                    --command-name "toon precommit --check, $count .toon files" \
                    "$TOON precommit --check --quiet"
            fi
        )
    done
done
