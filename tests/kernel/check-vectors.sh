#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run `rmaplab kernel-run` on every kernel vector and compare with its
# .expected: events and results, maps and sharing, object counts.  Needs
# root and tracefs.  With OUTDIR, keeps what kernel-run wrote there.
#
#   tests/kernel/check-vectors.sh BUILD/harness/rmaplab [VECTORDIR [OUTDIR]]
set -u
rmaplab=${1:?usage: $0 RMAPLAB [VECTORDIR [OUTDIR]]}
src=$(cd "$(dirname "$0")/../.." && pwd)
vec=${2:-$src/tests/data/kernel-vectors}
out=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -n "$out" ] && mkdir -p "$out"

n=0; ev=0; ms=0; av=0; avc=0
count() { sed -n "s/^$1 //p" "$2"; }
for f in "$vec"/random-*.trace; do
	b=$(basename "$f" .trace)
	n=$((n + 1))
	if ! "$rmaplab" kernel-run -o "$tmp/$b.trace" \
			--expected "$tmp/$b.expected" "$f" 2>"$tmp/$b.err"; then
		echo "$b: kernel-run failed: $(cat "$tmp/$b.err")"
		continue
	fi
	[ -s "$tmp/$b.err" ] && sed "s/^/$b: /" "$tmp/$b.err"
	if cmp -s <(grep -v '^#' "$f") \
		  <(sed '/^0 checkpoint end/,$d' "$tmp/$b.trace" | grep -v '^#'); then
		ev=$((ev + 1))
	else
		echo "$b: events or results differ"
	fi
	if cmp -s <(sed '/^-- objects/,$d' "$vec/$b.expected") \
		  <(sed '/^-- objects/,$d' "$tmp/$b.expected"); then
		ms=$((ms + 1))
	else
		echo "$b: maps or sharing differ"
	fi
	a1=$(count anon_vma "$vec/$b.expected"); a2=$(count anon_vma "$tmp/$b.expected")
	c1=$(count anon_vma_chain "$vec/$b.expected"); c2=$(count anon_vma_chain "$tmp/$b.expected")
	[ "$a1" = "$a2" ] && av=$((av + 1)) || echo "$b: anon_vma vector $a1, kernel $a2"
	[ "$c1" = "$c2" ] && avc=$((avc + 1)) || echo "$b: anon_vma_chain vector $c1, kernel $c2"
	[ -n "$out" ] && cp "$tmp/$b.trace" "$tmp/$b.expected" "$out/"
done
echo "vectors $n: events+results $ev, maps+sharing $ms, anon_vma $av, anon_vma_chain $avc"
[ "$ev" = "$n" ] && [ "$ms" = "$n" ]
