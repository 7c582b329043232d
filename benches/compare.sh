#!/usr/bin/env bash
# Renders the same Kawung through wastra (PNG directly), through resvg and
# through rsvg-convert (both rendering wastra's own SVG export of that image),
# and prints wall time and peak memory, medians of RUNS runs, with ratios.
#
#   benches/compare.sh [SIDE_PX] [RUNS]      defaults: 8192 3
#   WRAP=0 benches/compare.sh                skips the 2 m × 1 m wrap
#
# Needs: resvg (`cargo install resvg --locked`), rsvg-convert (Debian
# librsvg2-bin), GNU time (Debian time). Measures whole processes; on a shared
# machine quote the medians and ratios, not single figures.
set -euo pipefail
side=${1:-8192}
runs=${2:-3}
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/wastra
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for tool in resvg rsvg-convert /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "compare.sh: $tool not found (see the header)" >&2; exit 1; }
done

"$bin" render kawung -q -o "$work/k.svg" --width "$side" --height "$side" --dpi 300

# median of "seconds kilobytes" lines
measure() {
  local out=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$work/t" "$@" >/dev/null 2>&1
    out+=("$(tail -1 "$work/t")")
  done
  printf '%s\n' "${out[@]}" | sort -n | awk -v n="$runs" 'NR == int((n + 1) / 2)'
}

w=$(measure "$bin" render kawung -q -o "$work/w.png" --width "$side" --height "$side" --dpi 300)
w1=$(measure "$bin" render kawung -q -o "$work/w1.png" --width "$side" --height "$side" --dpi 300 --threads 1)
r=$(measure resvg -w "$side" -h "$side" "$work/k.svg" "$work/r.png")
s=$(measure rsvg-convert -w "$side" -h "$side" "$work/k.svg" -o "$work/s.png")

report() { # name "secs kb" base
  awk -v name="$1" -v m="$2" -v b="$3" 'BEGIN {
    split(m, a, " "); split(b, c, " ");
    printf "%-24s %8.2f s %8.0f MB   time ×%5.1f   memory ×%5.1f\n", name, a[1], a[2] / 1024, a[1] / c[1], a[2] / c[2] }'
}
echo "Kawung ${side}×${side} px, median of ${runs} runs, $(nproc) cores; ratios relative to wastra (2 threads)"
report "wastra PNG (2 threads)" "$w" "$w"
report "wastra PNG (1 thread)" "$w1" "$w"
report "resvg (wastra's SVG)" "$r" "$w"
report "rsvg-convert (its SVG)" "$s" "$w"

# The 2 m × 1 m vehicle wrap at 300 dpi (23622 × 11811 px): time and peak
# memory of the whole command. `cargo bench --bench wrap` sets its time
# against the png crate's encoder alone on the same pixels.
if [ "${WRAP:-1}" = 1 ]; then
  m=$(measure "$bin" render kawung -q -o "$work/wrap.png" --size 2000x1000mm --dpi 300)
  awk -v m="$m" 'BEGIN { split(m, a, " ");
    printf "%-24s %8.2f s %8.0f MB   (23622 × 11811 px)\n", "wastra wrap 2 m × 1 m", a[1], a[2] / 1024 }'
fi
