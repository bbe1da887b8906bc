#!/usr/bin/env bash
# The Docker Engine the tests and benchmarks of simple-cicd use: one dockerd listening on the local
# socket AND on a loopback TCP port that requires TLS client certificates, with a CA, a server
# certificate and a client certificate generated here. Idempotent: a daemon already answering on both
# is left alone; certificates that exist are kept.
#
#   scripts/services/dockerd.sh [start]   make sure dockerd answers on both (installs nothing)
#   scripts/services/dockerd.sh stop      stop the dockerd this script started (by its pid file)
#   scripts/services/dockerd.sh status    print what answers, exit 1 when something does not
#   scripts/services/dockerd.sh env      print the variables the tests read (eval "$(... env)")
#
# Environment (defaults in brackets):
#   SIMPLE_CICD_DOCKER_TLS_DIR   [/var/lib/simple-cicd-test/docker-tls]  ca.pem, cert.pem, key.pem (client),
#                                server-cert.pem, server-key.pem, ca-key.pem
#   SIMPLE_CICD_DOCKER_TLS_ADDR  [127.0.0.1:2376]
# Needs: docker.io (dockerd, containerd, runc), openssl, curl. No systemd (RECIPE §0b).
set -euo pipefail

TLS_DIR=${SIMPLE_CICD_DOCKER_TLS_DIR:-/var/lib/simple-cicd-test/docker-tls}
TLS_ADDR=${SIMPLE_CICD_DOCKER_TLS_ADDR:-127.0.0.1:2376}
SOCKET=/var/run/docker.sock
PIDFILE=/var/run/docker.pid
LOG=${SIMPLE_CICD_DOCKERD_LOG:-/var/log/simple-cicd-dockerd.log}

say() { printf 'dockerd.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

socket_answers() { curl -sf --max-time 2 --unix-socket "$SOCKET" http://x/_ping >/dev/null 2>&1; }
tls_answers() {
  curl -sf --max-time 2 --cacert "$TLS_DIR/ca.pem" --cert "$TLS_DIR/cert.pem" --key "$TLS_DIR/key.pem" \
    "https://$TLS_ADDR/_ping" >/dev/null 2>&1
}

# Certificates: a CA, a server certificate for 127.0.0.1/localhost, a client certificate.
make_certs() {
  command -v openssl >/dev/null || die "openssl is missing: apt-get install -y openssl"
  mkdir -p "$TLS_DIR"
  chmod 700 "$TLS_DIR"
  local days=3650 tmp
  tmp=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" RETURN
  if [[ ! -s $TLS_DIR/ca.pem || ! -s $TLS_DIR/ca-key.pem ]]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days "$days" -subj "/CN=simple-cicd test CA" \
      -keyout "$TLS_DIR/ca-key.pem" -out "$TLS_DIR/ca.pem" 2>/dev/null
    rm -f "$TLS_DIR/server-cert.pem" "$TLS_DIR/cert.pem"
  fi
  if [[ ! -s $TLS_DIR/server-cert.pem ]]; then
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$tmp/server.ext"
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$TLS_DIR/server-key.pem" \
      -out "$tmp/server.csr" 2>/dev/null
    openssl x509 -req -in "$tmp/server.csr" -CA "$TLS_DIR/ca.pem" -CAkey "$TLS_DIR/ca-key.pem" -CAcreateserial \
      -days "$days" -extfile "$tmp/server.ext" -out "$TLS_DIR/server-cert.pem" 2>/dev/null
  fi
  if [[ ! -s $TLS_DIR/cert.pem ]]; then
    printf 'extendedKeyUsage=clientAuth\n' >"$tmp/client.ext"
    openssl req -newkey rsa:2048 -nodes -subj "/CN=simple-cicd test client" -keyout "$TLS_DIR/key.pem" \
      -out "$tmp/client.csr" 2>/dev/null
    openssl x509 -req -in "$tmp/client.csr" -CA "$TLS_DIR/ca.pem" -CAkey "$TLS_DIR/ca-key.pem" -CAcreateserial \
      -days "$days" -extfile "$tmp/client.ext" -out "$TLS_DIR/cert.pem" 2>/dev/null
  fi
  chmod 600 "$TLS_DIR"/*key.pem
}

stop_daemon() {
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null || true)
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  say "stopping dockerd (pid $pid)"
  kill "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  die "dockerd (pid $pid) did not stop within 20 s"
}

start() {
  command -v dockerd >/dev/null || die "dockerd is missing: apt-get install -y docker.io (RECIPE §0b)"
  make_certs
  if socket_answers && tls_answers; then
    say "dockerd answers on unix://$SOCKET and tcp://$TLS_ADDR (TLS)"
    return 0
  fi
  if socket_answers; then
    [[ -s $PIDFILE ]] || die "a Docker daemon answers on $SOCKET without the TLS port and was not started with $PIDFILE: stop it first"
    say "dockerd answers on $SOCKET but not on tcp://$TLS_ADDR: restarting it with both"
    stop_daemon
  fi
  mkdir -p "$(dirname "$LOG")"
  (setsid dockerd -H "unix://$SOCKET" -H "tcp://$TLS_ADDR" --tlsverify \
    --tlscacert "$TLS_DIR/ca.pem" --tlscert "$TLS_DIR/server-cert.pem" --tlskey "$TLS_DIR/server-key.pem" \
    --pidfile "$PIDFILE" >>"$LOG" 2>&1 </dev/null &)
  for _ in $(seq 1 120); do
    if socket_answers && tls_answers; then
      say "dockerd started: unix://$SOCKET and tcp://$TLS_ADDR (TLS, certificates in $TLS_DIR); log $LOG"
      return 0
    fi
    sleep 0.25
  done
  tail -20 "$LOG" >&2 || true
  die "dockerd did not answer within 30 s (log above, $LOG)"
}

status() {
  local rc=0
  if socket_answers; then say "unix://$SOCKET answers"; else say "unix://$SOCKET does not answer"; rc=1; fi
  if tls_answers; then say "tcp://$TLS_ADDR answers with TLS"; else say "tcp://$TLS_ADDR does not answer"; rc=1; fi
  return $rc
}

case ${1:-start} in
  start) start ;;
  stop) stop_daemon ;;
  status) status ;;
  env)
    printf 'export SIMPLE_CICD_DOCKER_TLS_DIR=%q\nexport SIMPLE_CICD_DOCKER_TLS_ADDR=%q\n' "$TLS_DIR" "$TLS_ADDR"
    ;;
  *) die "usage: $0 [start|stop|status|env]" ;;
esac
