#!/usr/bin/env bash
# Makes sure the system packages the test suite needs are installed (Debian):
#   chromium  - the browser the end-to-end tests drive (never a downloaded one);
#   python3-torch python3-numpy python3-sklearn python3-onnx - the training smoke test.
# Does nothing when they are present. Installs what is missing when run as root; otherwise
# prints the command to run and fails.
set -euo pipefail

packages=()
[[ -x /usr/bin/chromium ]] || packages+=(chromium)
for package in python3-torch python3-numpy python3-sklearn python3-onnx; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || packages+=("$package")
done

if [[ ${#packages[@]} -eq 0 ]]; then
  echo "ensure-test-deps: chromium and the Python packages are installed."
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "ensure-test-deps: missing Debian packages: ${packages[*]}" >&2
  echo "Install them with:" >&2
  echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y ${packages[*]}" >&2
  exit 1
fi

echo "ensure-test-deps: installing ${packages[*]}"
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}"
