#!/bin/sh
# The app's test: renders the site, serves it with busybox httpd on a loopback port and checks the
# page, the JSON API and the health file. It needs only busybox (httpd, wget): the pipeline's test
# step runs it in a container of the app's base image; `sh test/test.sh` runs it on your machine.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(cat "$root/VERSION")
dir=$(mktemp -d)
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
httpd=httpd wget=wget
command -v httpd >/dev/null 2>&1 || httpd="busybox httpd"
command -v busybox >/dev/null 2>&1 && wget="busybox wget"

VERSION=$version COMMIT=test1234 sh "$root/app/build.sh" "$dir/www"
port=${TEST_PORT:-18080}
export VERSION=$version COMMIT=test1234
$httpd -f -p "127.0.0.1:$port" -h "$dir/www" &
pid=$!
fails=0
check() { # NAME PATH EXPECTED-TEXT
  got=
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    got=$($wget -qO- "http://127.0.0.1:$port$2" 2>/dev/null) && break
    sleep 0.2
  done
  if printf '%s' "$got" | grep -q "$3"; then
    echo "ok   $1"
  else
    echo "FAIL $1: GET $2 has no \"$3\"; it answered:"
    printf '%s\n' "$got" | head -20
    fails=$((fails + 1))
  fi
}
check "the page shows the version" / "Version <strong id=\"version\">$version</strong>"
check "the page shows the commit" / "test1234"
check "the API answers JSON with the version" /cgi-bin/info "\"version\": \"$version\""
check "the API names the app" /cgi-bin/info '"app": "webapp"'
check "the health file says ok" /healthz '^ok'
[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "all checks passed"
