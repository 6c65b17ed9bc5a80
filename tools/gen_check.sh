#!/usr/bin/env bash
# Regenerates the Huffman tables from RFC 7541's text and fails when the
# committed src/h2_huffman_table.h differs; the same for the static table's
# name hash in src/h2_hpack.c. Skipped when the RFC text is not beside the
# project (it is not shipped with it).
set -eu
cd "$(dirname "$0")/.."
rfc=${RFC7541_TEXT:-../shared/specs/hpack-rfc7541.txt}
if [ ! -f "$rfc" ]; then
    echo "gen-check: skipped ($rfc not found)"
    exit 0
fi
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
python3 tools/gen_huffman_table.py "$rfc" "$tmp"
if ! cmp -s "$tmp" src/h2_huffman_table.h; then
    echo "gen-check: src/h2_huffman_table.h differs from what RFC 7541 Appendix B gives"
    exit 1
fi
echo "gen-check: Huffman tables match RFC 7541 Appendix B"
if ! python3 tools/gen_static_hash.py "$rfc" --check src/h2_hpack.c; then
    echo "gen-check: h2_hpack_static_by_hash in src/h2_hpack.c differs from what RFC 7541 Appendix A gives"
    exit 1
fi
echo "gen-check: static table name hash matches RFC 7541 Appendix A"
