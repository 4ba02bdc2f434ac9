#!/usr/bin/env bash
# Mechanical consistency: every C file is formatted as .clang-format says.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "lint: clang-format not installed, skipped"; exit 0; }
files=$(ls src/*/*.c src/*/*.h tests/unit/*.c tests/unit/*.h tests/fuzz/*.c tests/fuzz/*.h 2>/dev/null || true)
[ -n "$files" ] || exit 0
if ! clang-format --dry-run --Werror $files 2>/tmp/jiefen-lint.$$; then
  head -n 40 /tmp/jiefen-lint.$$ >&2
  rm -f /tmp/jiefen-lint.$$
  echo "lint: run 'make format'" >&2
  exit 1
fi
rm -f /tmp/jiefen-lint.$$
echo "lint: ok"
