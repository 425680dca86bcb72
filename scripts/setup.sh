#!/usr/bin/env bash
# Installs everything publish needs on a fresh Debian machine, then publish itself.
#   bash scripts/setup.sh          system packages for building + the Python package
#   bash scripts/setup.sh --test   the same, plus what the tests need (Java for EPUBCheck)
# System packages are installed with apt-get when missing (as root, or through sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

extra=""
packages=(fonts-noto-cjk fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils)
if [[ "${1:-}" == "--test" ]]; then
  extra="[dev]"
  packages+=(default-jre-headless)
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null; then sudo="sudo"; else
      echo "publish needs these Debian packages: ${missing[*]}" >&2
      echo "install them as root: apt-get install ${missing[*]}" >&2
      exit 1
    fi
  fi
  echo "installing Debian packages: ${missing[*]}"
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
    echo "could not install the Debian packages: ${missing[*]}" >&2
    echo "(fonts-noto-cjk gives the Chinese text of the article its glyphs; without it the PDF cannot be made)" >&2
    exit 1
  fi
fi

python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -e ".${extra}"
