#!/usr/bin/env bash
# Runs the Python interpreter that has Debian's torch, numpy, scikit-learn and onnx.
# A pyenv or virtualenv `python3` earlier on PATH usually lacks them, so Debian's is preferred.
set -euo pipefail
if [[ -n "${GLASSBOX_PYTHON:-}" ]]; then exec "$GLASSBOX_PYTHON" "$@"; fi
if [[ -x /usr/bin/python3 ]]; then exec /usr/bin/python3 "$@"; fi
exec python3 "$@"
