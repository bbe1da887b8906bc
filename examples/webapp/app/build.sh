#!/bin/sh
# Renders the site into DIR: the page with the version, commit and build number filled in, the API
# script and the health file. Used by the Dockerfile and by test/test.sh.
#   VERSION=1 COMMIT=abc1234 BUILD=7 sh app/build.sh DIR
set -eu
out=${1:?usage: build.sh DIR}
here=$(dirname "$0")
: "${VERSION:=dev}" "${COMMIT:=unknown}" "${BUILD:=dev}"
mkdir -p "$out/cgi-bin"
sed -e "s|@VERSION@|$VERSION|g" -e "s|@COMMIT@|$COMMIT|g" -e "s|@BUILD@|$BUILD|g" "$here/index.html" >"$out/index.html"
cp "$here/cgi-bin/info" "$out/cgi-bin/info"
chmod 755 "$out/cgi-bin/info"
echo ok >"$out/healthz"
