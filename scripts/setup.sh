#!/usr/bin/env bash
# Installs everything publish needs on a fresh Debian machine, then publish itself.
#   bash scripts/setup.sh          system packages for building + the Python package
#   bash scripts/setup.sh --check  the same, plus the validators of `publish check`
#                                  (Java for EPUBCheck and the Nu HTML Checker, LibreOffice;
#                                  Chromium, which draws the editions in its report, and
#                                  DejaVu Math TeX Gyre, the math font it sets MathML in)
#   bash scripts/setup.sh --test   the same as --check, plus the test and development tools
#                                  (Chromium is also the browser the browser tests drive)
# System packages are installed with apt-get when missing (as root, or through sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

extra=""
packages=(fonts-noto-cjk fonts-noto-core fonts-noto-color-emoji fonts-dejavu-core fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils librsvg2-bin)
case "${1:-}" in
  --check) extra="[check]"; packages+=(default-jre-headless libreoffice-writer-nogui libreoffice-math-nogui chromium fonts-dejavu-extra) ;;
  --test) extra="[dev]"; packages+=(default-jre-headless libreoffice-writer-nogui libreoffice-math-nogui chromium fonts-dejavu-extra) ;;
  "") ;;
  *) echo "usage: bash scripts/setup.sh [--check | --test]" >&2; exit 2 ;;
esac

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
    echo "(the fonts-noto-* packages give the PDF its glyphs for CJK, the other scripts and emoji; without them those characters show as boxes)" >&2
    exit 1
  fi
fi

python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -e ".${extra}"
# An editable install is not compiled: compile publish's modules once, so that a command's
# start does not compile them again (where PYTHONDONTWRITEBYTECODE is set, at every start).
python3 -m compileall -q publish >/dev/null
