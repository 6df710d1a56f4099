#!/usr/bin/env bash
# A fuzzing campaign: each target in turn for SECONDS (default 600), from a working copy of
# its seed corpus, with the YAML/JSON-RPC dictionary. An input slower than 10 s or using more
# than 2 GiB counts as a finding, as does any panic or failed oracle (fuzz/oracles.rs).
#
#   fuzz/campaign.sh [SECONDS] [TARGET...]      # targets: parse lint emit migrate lsp framing
#
# cargo-fuzz needs nightly compiler flags; on the stable toolchain RUSTC_BOOTSTRAP=1 allows
# them. The sanitizer is off: aiblint is safe Rust, and the oracles, debug assertions and
# overflow checks are what find bugs here. Findings land in fuzz/artifacts/<target>/;
# minimise one with `RUSTC_BOOTSTRAP=1 cargo fuzz tmin --sanitizer none <target> <file>`
# and keep the result in fuzz/regressions/<target>/, which `cargo test --test it fuzz_corpus::`
# replays on every test run. Logs are in target/fuzz-campaign/.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    targets=(parse lint emit migrate lsp framing)
fi
export RUSTC_BOOTSTRAP=1
work=../target/fuzz-campaign
mkdir -p "$work" artifacts
# Built once, then the binaries run directly: editing the sources during a campaign does
# not change what it tests.
cargo fuzz build --sanitizer none
bin=target/$(rustc -vV | sed -n 's/^host: //p')/release
status=0
for target in "${targets[@]}"; do
    rm -rf "$work/corpus-$target"
    cp -r "corpus/$target" "$work/corpus-$target"
    mkdir -p "artifacts/$target"
    log=$work/$target.log
    echo "== $target: ${seconds}s, log in $log"
    if "$bin/$target" "$work/corpus-$target" -artifact_prefix="artifacts/$target/" \
        -dict=yaml.dict -max_total_time="$seconds" -max_len=16384 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
        grep -E "^Done|stat::number_of_executed_units|stat::peak_rss_mb" "$log" || true
    else
        status=1
        echo "!! $target found something:" >&2
        grep -E "panicked|ERROR|SUMMARY|Test unit written" "$log" >&2 || tail -20 "$log" >&2
    fi
done
exit $status
