#!/usr/bin/env bash
# Starts or stops the simulator for scripts/bench, as a background server on loopback.
#   sim.sh start WORKDIR ATS_BINARY [SIM ARGS…]   # prints the base URL when it answers
#   sim.sh stop WORKDIR
# The port is a free one chosen by the kernel; the pid is kept in WORKDIR/sim.pid.
set -euo pipefail
cmd="$1"; work="$2"; shift 2
pidfile="$work/sim.pid"
stop() {
  if [ -f "$pidfile" ]; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.1; done
    rm -f "$pidfile"
  fi
}
case "$cmd" in
  stop) stop ;;
  start)
    stop
    ats="$1"; shift
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$ats" sim --port "$port" "$@" >"$work/sim.log" 2>&1 &
    echo $! > "$pidfile"
    base="http://127.0.0.1:$port/Automation/v1"
    for _ in $(seq 300); do
      if curl -s -o /dev/null -w '%{http_code}' -u system:manager "$base/configuration/version" 2>/dev/null | grep -q 200; then
        echo "$base"; exit 0
      fi
      kill -0 "$(cat "$pidfile")" 2>/dev/null || break
      sleep 0.1
    done
    stop
    echo "sim.sh: the simulator did not start (log: $work/sim.log)" >&2
    exit 1 ;;
  *) echo "usage: sim.sh start|stop WORKDIR …" >&2; exit 2 ;;
esac
