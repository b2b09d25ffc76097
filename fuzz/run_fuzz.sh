#!/bin/sh
# Long fuzzing run of digitpad's input readers (see README.md).  Usage: fuzz/run_fuzz.sh [SCALE] [pytest -k expr]
set -e
cd "$(dirname "$0")/.."
SCALE="${1:-50}"
shift || true
DIGITPAD_FUZZ_SCALE="$SCALE" exec nice -n 10 python -m pytest -q -p no:cacheprovider -W ignore \
    tests/test_hardening_fuzz.py tests/test_user_files_fuzz.py tests/test_onnx_fuzz.py --hypothesis-show-statistics ${1:+-k "$1"}
