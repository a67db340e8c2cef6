#!/bin/sh
# Writes timeline's manual page (mdoc) to standard output; `make man` and `make check-man` call it, and
# Tests/TimelineCLITests/ManualTests.swift checks the committed page against the same three parts:
#   1. NAME, SYNOPSIS, DESCRIPTION and COMMANDS, by timeline-manual from the command definitions that
#      --help is made from (timeline --experimental-dump-help);
#   2. KEYS, from the explorer's command table (timeline render --manual-keys);
#   3. Resources/man/sections.mdoc: the data format, environment, exit status, examples.
# Usage: manual.sh YYYY-MM-DD [BIN_DIR]   (BIN_DIR: where timeline and timeline-manual are built)
set -eu
cd "$(dirname "$0")/../.."
date=${1:?usage: manual.sh YYYY-MM-DD [BIN_DIR]}
bin=${2:-$(swift build --show-bin-path)}
"$bin/timeline" --experimental-dump-help | "$bin/timeline-manual" "$date"
"$bin/timeline" render --manual-keys
cat Resources/man/sections.mdoc
