#!/usr/bin/env bash
# Times the explorer's first screen: from launching `timeline --data FILE` in a tmux window until the
# first screen has been written to the pane (its footer's "quit", the last row drawn, has gone through
# `tmux pipe-pane`; `capture-pane` then checks that the header says "N events"), RUNS times; prints
# each run, the median, and the process's peak RSS (VmHWM) when the first screen is up and, with
# --index, once the word index is built as well (a search typed then is answered when it is).
#
#   Sources/TimelineBench/first-screen.sh FILE [RUNS] [--size 200x60] [--index] [--trace] [--reopen] [--search TEXT] [--env VAR=VALUE] [--bin PATH]
#
# Quote figures only from runs under the machine's exclusive lock, with nothing built beside them:
#   flock -x /work/cpu.lock Sources/TimelineBench/first-screen.sh /work/bench-data/10000000-1.json 5
#
# Each run has its own empty state directory (XDG_STATE_HOME), so no session is restored and every run
# opens the file as the first time. tmux runs on its own socket (-L firstscreen); its server is started
# before the clock starts, and the explorer is the window's command (no shell in between). Nothing
# polls while the explorer starts (a poll every few ms took CPU from its two loading threads).
# --trace sets TIMELINE_STARTUP_TRACE for each run and prints when each step of the explorer's start
# ended, in ms after the launch (see StartupTrace); --env VAR=VALUE (repeatable) sets a variable for
# the explorer. --reopen opens the file once first (not counted), and every run then reopens it as a
# returning user does: the session the last one saved on quitting (the selected event) is restored.
# --search TEXT launches the explorer with `--search TEXT` and also notes when the header says the
# search was answered ("match"), which may be after the first screen.
# Needs tmux and python3.
set -euo pipefail
cd "$(dirname "$0")/../.."

file=""
runs=5
size=200x60
index=0
trace=0
reopen=0
extra=""
bin=""
search=""
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size=$2; shift 2 ;;
    --index) index=1; shift ;;
    --trace) trace=1; shift ;;
    --reopen) reopen=1; shift ;;
    --env) extra="$extra $2"; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --search) search=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) if [ -z "$file" ]; then file=$1; else runs=$1; fi; shift ;;
  esac
done
[ -n "$file" ] && [ -f "$file" ] || { echo "usage: $0 FILE [RUNS] [--size WxH] [--index] [--trace] [--reopen] [--env VAR=VALUE] [--bin PATH]" >&2; exit 64; }
if [ -z "$bin" ]; then
  bin="$(swift build -c release --show-bin-path)/timeline"
fi
[ -x "$bin" ] || { echo "no release binary at $bin: swift build -c release --product timeline" >&2; exit 66; }
file=$(realpath "$file")
width=${size%x*}
height=${size#*x}

sock=${FIRST_SCREEN_SOCKET:-firstscreen}
tm() { tmux -L "$sock" "$@"; }
state=$(mktemp -d)
cleanup() { tm kill-server 2>/dev/null || true; rm -rf "$state"; }
trap cleanup EXIT
tm kill-server 2>/dev/null || true
tm -f /dev/null new-session -d -s fs -x "$width" -y "$height" 'sleep 100000'
tm set -g default-size "$size"
tm set -g remain-on-exit on

# Reads the FIFO until "quit" (the footer's hints) or "afresh" (the footer's "session restored … starts
# afresh") has gone through it, then prints the time in ms; fails at its end.
waiter='
import os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
tail = b""
while True:
    chunk = os.read(fd, 1 << 16)
    if not chunk:
        sys.exit(1)
    if b"quit" in tail + chunk or b"afresh" in tail + chunk:
        print(time.time_ns() // 1000000)
        sys.exit(0)
    tail = chunk[-8:]
'
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
hwm_mb() { awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

times=()
first=1
[ "$reopen" = 1 ] && first=0
for run in $(seq "$first" "$runs"); do
  states="$state/s$run"
  [ "$reopen" = 1 ] && states="$state/shared"
  mkdir -p "$states"
  traced=""
  [ "$trace" = 1 ] && traced="TIMELINE_STARTUP_TRACE=$state/trace$run"
  # The pane's output goes through a FIFO to a waiter that blocks on it (no polling, which would take
  # CPU from the explorer): it notes the time when the footer, the last row of the first screen, has
  # been written.
  fifo="$state/fifo$run"
  mkfifo "$fifo"
  timeout 900 python3 -c "$waiter" "$fifo" >"$state/end$run" &
  waiting=$!
  start=$(now_ms)
  searching=""
  [ -n "$search" ] && searching="--search '$search'"
  tm new-window -d -t fs -n "run$run" "exec env XDG_STATE_HOME=$states TERM=tmux-256color $traced $extra '$bin' --data '$file' $searching"
  tm pipe-pane -t "fs:run$run" -o "exec cat > '$fifo'"
  pid=$(tm display -p -t "fs:run$run" '#{pane_pid}')
  if ! wait "$waiting"; then
    echo "run $run: the explorer ended before its first screen:" >&2
    tm capture-pane -p -t "fs:run$run" >&2
    exit 1
  fi
  end=$(cat "$state/end$run")
  top=$(tm capture-pane -p -t "fs:run$run" -S 0 -E 0)
  [[ "$top" =~ [0-9]+\ events\ *$ ]] || { echo "run $run: not the explorer's first screen: $top" >&2; exit 1; }
  ms=$((end - start))
  [ "$run" -gt 0 ] && times+=("$ms")
  line="run $run$([ "$run" = 0 ] && echo " (not counted)"): first screen after $ms ms; peak RSS $(hwm_mb "$pid") MiB"
  if [ -n "$search" ]; then
    until tm capture-pane -p -t "fs:run$run" -S 1 -E 1 | grep -q 'match'; do sleep 0.05; done
    line="$line; the search answered after $(( $(now_ms) - start )) ms"
  fi
  if [ "$index" = 1 ]; then
    # The word index is built on another thread once the first screen is up: a search typed now is
    # answered when it is ready, so "match" or "no match" in the header says the index is there.
    tm send-keys -t "fs:run$run" / z z q w x Enter
    until tm capture-pane -p -t "fs:run$run" -S 1 -E 1 | grep -q 'match'; do sleep 0.2; done
    line="$line; with the word index built after $(( $(now_ms) - start )) ms: peak RSS $(hwm_mb "$pid") MiB"
  fi
  echo "$line"
  if [ "$trace" = 1 ] && [ -f "$state/trace$run" ]; then
    awk -v s="$start" '{ printf "  %-10s %7.1f ms\n", $1, $2 - s }' "$state/trace$run"
  fi
  tm send-keys -t "fs:run$run" q
  for _ in $(seq 1 200); do
    [ "$(tm display -p -t "fs:run$run" '#{pane_dead}' 2>/dev/null || echo 1)" = 1 ] && break
    sleep 0.05
  done
  tm kill-window -t "fs:run$run" 2>/dev/null || true
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
n=${#sorted[@]}
if [ $((n % 2)) = 1 ]; then median=${sorted[$((n / 2))]}; else median=$(( (sorted[n / 2 - 1] + sorted[n / 2]) / 2 )); fi
echo "first screen at ${size}: median ${median} ms of ${n} runs (min ${sorted[0]}, max ${sorted[$((n - 1))]}); $bin --data $file"
