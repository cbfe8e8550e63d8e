#!/usr/bin/env bash
# Install the Debian packages Praverka needs beyond its Python dependencies.
#
#   scripts/install-system-deps.sh [PACKAGE...]
#
# Without arguments installs the default set: PostgreSQL (the test suite starts
# its own throwaway server from its binaries), poppler-utils (PDF tools) and
# CUPS with its PDF printer (the printing tests print through it).
# Packages already installed are skipped, so `make` can run this on every
# fresh checkout at no cost.
set -euo pipefail

# Qt (PySide6 wheels) needs these shared libraries even offscreen; most desktops have them.
DEFAULT_PACKAGES=(postgresql poppler-utils cups printer-driver-cups-pdf libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libxcb-cursor0 libglib2.0-0)

if (($# > 0)); then
    packages=("$@")
else
    packages=("${DEFAULT_PACKAGES[@]}")
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "system packages: this is not a Debian-like system (no dpkg-query/apt-get);" \
        "install the equivalents of: ${packages[*]}" >&2
    exit 1
fi

missing=()
for package in "${packages[@]}"; do
    # "deinstall ok config-files" or a half-configured package must count as
    # missing, hence the exact status rather than mere presence in dpkg's list.
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    if [[ $status != *" ok installed" ]]; then
        missing+=("$package")
    fi
done

if ((${#missing[@]} == 0)); then
    echo "system packages: all present (${packages[*]})"
    exit 0
fi

if ((EUID == 0)); then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "system packages: missing ${missing[*]}, but this is not root and sudo is" \
        "unavailable. Install them as root with:" >&2
    echo "  apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

# Passed through env rather than exported, because sudo resets the
# environment; noninteractive keeps debconf from prompting.
run_apt_get() {
    ${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get "$@"
}

echo "system packages: installing ${missing[*]}${as_root[*]+ (via ${as_root[*]})}"
run_apt_get update -qq
run_apt_get install -y -qq --no-install-recommends "${missing[@]}"
echo "system packages: installed ${missing[*]}"
