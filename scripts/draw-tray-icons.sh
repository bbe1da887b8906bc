#!/usr/bin/env bash
# Draws the tray icons (icons/tray-*.png) with ImageMagick: the app's pipeline glyph (nodes on a
# line) on a rounded square in the status colour of UI.md; the last node carries the state's sign
# (plain: idle, play: running, check: succeeded, cross: failed), so the state reads without colour.
# Run from the repository root after changing the design; the PNGs are committed.
set -euo pipefail
out=icons
draw() { # name colour extra-draw-args...
  local name=$1 colour=$2
  shift 2
  convert -size 256x256 xc:none -fill "$colour" -draw "roundrectangle 8,8 247,247 56,56" \
    -stroke white -strokewidth 14 -draw "line 56,128 200,128" -stroke none -fill white \
    -draw "circle 56,128 56,98" -draw "circle 128,128 128,102" "$@" \
    -resize 64x64 -strip "$out/tray-$name.png"
}
draw idle '#5f6b7a' -fill white -draw "circle 200,128 200,96"
draw running '#2b7de9' -fill white -draw "circle 200,128 200,84" -fill '#2b7de9' -draw "polygon 186,104 186,152 226,128"
draw succeeded '#2f9e44' -fill white -draw "circle 200,128 200,84" \
  -fill none -stroke '#2f9e44' -strokewidth 12 -draw "polyline 178,128 194,146 224,110"
draw failed '#d93a3a' -fill white -draw "circle 200,128 200,84" \
  -stroke '#d93a3a' -strokewidth 12 -draw "line 184,112 216,144" -draw "line 216,112 184,144"
