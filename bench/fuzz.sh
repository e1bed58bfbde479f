#!/usr/bin/env bash
# Fuzz the model parser (and writer round trip) for SECONDS (default 60).
#
#   bench/fuzz.sh 1800
#
# Needs nightly Rust and cargo-fuzz (`cargo install cargo-fuzz`). The corpus
# (fuzz/corpus/parse, git-ignored) is seeded with the shared real models
# (ANIMECELEB_TEST_MODELS, default tests/models in the checkout) and
# with the edge-case files the test suite writes. Crashes land in
# fuzz/artifacts/parse/; turn each into a regression test in
# crates/pmx_core/tests/fuzz_regressions.rs (inputs under tests/fuzz_regressions/).
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$root/fuzz/corpus/parse"
models="${ANIMECELEB_TEST_MODELS:-$root/tests/models}"

mkdir -p "$corpus"
if [ -d "$models" ]; then
    find "$models" -name '*.pmx' -exec cp -f {} "$corpus/" \;
else
    echo "note: no shared models at $models; seeding with written files only" >&2
fi
(cd "$root" && PMX_FUZZ_SEEDS_DIR="$corpus" \
    cargo test -q -p pmx_core --test pmx_roundtrip --test pmd write_fuzz_seeds >/dev/null)

cd "$root/fuzz"
# -rss_limit_mb guards the "never allocate from an unchecked count" rule.
exec cargo +nightly fuzz run parse -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1
