#!/bin/sh
# Rebuilds the bundled font subset from Noto Sans CJK SC (face 2 of Debian's fonts-noto-cjk TTC).
# It keeps every non-ASCII character that occurs in the generator's sources (all text the
# generator writes comes from literals there), printable ASCII, full-width forms and CJK
# punctuation. Needs fontTools (pip install fonttools).
set -e
here=$(dirname "$0")
src="$here/../../src/demo"
chars=$(mktemp)
cat "$src"/*.rs > "$chars"
pyftsubset /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc --font-number=2 \
  --text-file="$chars" \
  --unicodes="U+0020-007E,U+00B7,U+2022,U+2027,U+2014,U+25A1,U+3000-303F,U+30FB,U+FF01-FF5E" \
  --layout-features='' --no-hinting --desubroutinize --drop-tables+=GSUB,GPOS,vhea,vmtx,VORG \
  --name-IDs='*' --output-file="$here/NotoSansCJKsc-DemoSubset.otf"
rm -f "$chars"
