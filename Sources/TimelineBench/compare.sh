#!/usr/bin/env bash
# Times `timeline` against jq, fzf and DuckDB on the same generated timeline and prints the ratios.
#
#   Sources/TimelineBench/compare.sh [EVENTS] [WORD]      (defaults: 1000000 serveur)
#
# - country:  timeline list --data F --country FR --count
#             jq '[.events[] | select(.countries | index("FR"))] | length' F
# - search:   timeline list --data F --search WORD --count
#             fzf --filter WORD over the titles, one per line (fzf sees less text than timeline,
#             which searches titles and summaries)
# - DuckDB:   the same two questions in SQL over the file (read_json, one row per event), through its
#             Python package, interpreter start and import included:
#             ... WHERE list_contains(e.countries, 'FR')
#             ... WHERE e.title ILIKE '%WORD%' OR e.summary ILIKE '%WORD%' OR e.notes ILIKE '%WORD%'
# Each command runs three times; the median wall time is reported. jq and fzf are installed from
# Debian's packages when missing, DuckDB with pip (for this benchmark only; the product never uses it).
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-1000000}
word=${2:-serveur}
seed=1

missing=()
command -v jq >/dev/null 2>&1 || missing+=(jq)
command -v fzf >/dev/null 2>&1 || missing+=(fzf)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]}…" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! python3 -c 'import duckdb' 2>/dev/null; then
  echo "installing duckdb (pip)…" >&2
  python3 -m pip install --quiet duckdb
fi

swift build -c release --product timeline >/dev/null
swift build -c release --product timeline-bench >/dev/null
bin=$(swift build -c release --show-bin-path)
cache="${TMPDIR:-/tmp}/timeline-bench"
mkdir -p "$cache"
file="$cache/$events-$seed.json"
titles="$cache/$events-$seed.titles.txt"
if [ ! -f "$file" ]; then
  echo "generating $events events…" >&2
  "$bin/timeline-bench" generate --events "$events" --seed "$seed" --output "$file.part" && mv "$file.part" "$file"
fi
if [ ! -f "$titles" ]; then
  "$bin/timeline" list --data "$file" --format csv | python3 -c '
import csv, sys
r = csv.reader(sys.stdin)
next(r)
for row in r: print(row[3].replace("\n", " "))' > "$titles.part" && mv "$titles.part" "$titles"
fi
cat "$file" "$titles" > /dev/null  # into the page cache, for every tool alike

# median_time OUTPUT_VAR command...: runs three times, keeps the median seconds and the last output.
median_time() {
  local var=$1; shift
  local times=() out
  for _ in 1 2 3; do
    local start end
    start=$(date +%s.%N)
    out=$("$@")
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  printf -v "$var" '%s' "$(printf '%s\n' "${times[@]}" | sort -g | sed -n 2p)"
  LAST_OUTPUT=$out
}

median_time t_country "$bin/timeline" list --data "$file" --country FR --count; n_country=$LAST_OUTPUT
median_time t_jq jq '[.events[] | select(.countries | index("FR"))] | length' "$file"; n_jq=$LAST_OUTPUT
median_time t_search "$bin/timeline" list --data "$file" --search "$word" --count; n_search=$LAST_OUTPUT
median_time t_fzf sh -c "fzf --filter '$word' < '$titles' | wc -l"; n_fzf=$LAST_OUTPUT
# One row per event; the whole file is one JSON object, so the object size limit is raised past it.
events_sql="(SELECT unnest(events) AS e FROM read_json('$file', maximum_object_size = 2147483647))"
# The progress bar is turned off: it is written to the standard output, with the count.
duckdb_count() {
  python3 -c 'import sys, duckdb; c = duckdb.connect(); c.execute("SET enable_progress_bar = false"); print(c.execute(sys.argv[1]).fetchall()[0][0])' "$1"
}
median_time t_duck_country duckdb_count "SELECT count(*) FROM $events_sql WHERE list_contains(e.countries, 'FR')"; n_duck_country=$LAST_OUTPUT
median_time t_duck_search duckdb_count "SELECT count(*) FROM $events_sql WHERE e.title ILIKE '%$word%' OR e.summary ILIKE '%$word%' OR e.notes ILIKE '%$word%'"; n_duck_search=$LAST_OUTPUT

size=$(( $(stat -L -c %s "$file") / 1048576 ))  # -L: the cache may hold a link to a file generated elsewhere
echo "file: $events events, ${size} MB ($file)"
printf '%-58s %8.3f s  (%s events)\n' "timeline list --country FR --count" "$t_country" "$n_country"
printf '%-58s %8.3f s  (%s events)\n' "jq '[.events[] | select(.countries | index(\"FR\"))] | length'" "$t_jq" "$n_jq"
printf '%-58s %8.2f   (goal: at most 0.25)\n' "ratio timeline / jq" "$(echo "$t_country / $t_jq" | bc -l)"
printf '%-58s %8.3f s  (%s events)\n' "timeline list --search $word --count" "$t_search" "$n_search"
printf '%-58s %8.3f s  (%s titles)\n' "fzf --filter $word (titles only)" "$t_fzf" "$n_fzf"
printf '%-58s %8.2f   (goal: at most 1.00)\n' "ratio timeline / fzf" "$(echo "$t_search / $t_fzf" | bc -l)"
printf '%-58s %8.3f s  (%s events)\n' "duckdb: countries contain FR" "$t_duck_country" "$n_duck_country"
printf '%-58s %8.2f\n' "ratio timeline / duckdb (country)" "$(echo "$t_country / $t_duck_country" | bc -l)"
printf '%-58s %8.3f s  (%s events)\n' "duckdb: title, summary or notes ILIKE %$word%" "$t_duck_search" "$n_duck_search"
printf '%-58s %8.2f\n' "ratio timeline / duckdb (search)" "$(echo "$t_search / $t_duck_search" | bc -l)"
if [ "$n_country" != "$n_jq" ] || [ "$n_country" != "$n_duck_country" ]; then
  echo "warning: timeline, jq and duckdb counted different events for FR ($n_country, $n_jq, $n_duck_country)" >&2
  exit 1
fi
if [ "$n_search" != "$n_duck_search" ]; then
  echo "note: timeline and duckdb found different events for $word ($n_search vs $n_duck_search): timeline also matches names and dates" >&2
fi
