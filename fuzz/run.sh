#!/usr/bin/env bash
# Runs wastra's fuzz targets for a bounded time each. Not part of CI.
#
#   fuzz/run.sh [SECONDS_PER_TARGET]     (default 120)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain; without
# nightly, RUSTC_BOOTSTRAP=1 lets stable build with the sanitizer flags.
# Seeds are the built-in motifs (fuzz/seeds, refreshed from motifs/); the corpus
# grows in fuzz/corpus/TARGET and crashes land in fuzz/artifacts/TARGET. Turn
# each crash into a regression test in tests/regressions.rs, named after the bug.
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-120}"
toolchain=()
if rustup toolchain list | grep -q '^nightly'; then
    toolchain=(+nightly)
else
    export RUSTC_BOOTSTRAP=1
fi
for f in ../motifs/*.toml; do
    [ "$(basename "$f")" = palettes.toml ] || cp "$f" seeds/
done
for target in motif_load motif_render; do
    mkdir -p "corpus/$target"
    echo "== $target for ${secs}s"
    # -rss_limit_mb: a motif that exhausts memory is a finding too.
    cargo "${toolchain[@]}" fuzz run "$target" "corpus/$target" seeds -- \
        -dict=motif.dict -max_total_time="$secs" -rss_limit_mb=2048 \
        -timeout=10 -max_len=8192 -print_final_stats=1
done
