# Shared by scripts/run and scripts/test: system packages, the venv, the project install.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${QUAY_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"

# QtWebEngine's Chromium links these (the sound library was renamed in Debian 13 / Ubuntu 24.04).
ASOUND=libasound2
if command -v apt-cache >/dev/null && apt-cache show libasound2t64 >/dev/null 2>&1; then ASOUND=libasound2t64; fi
WEBENGINE_PACKAGES=(libnss3 libgbm1 libxcomposite1 libxdamage1 libxrandr2 libxtst6 libxkbfile1 "$ASOUND")

# Debian/Ubuntu packages: the real servers the tests and the demo run, and the
# libraries Qt's offscreen/xcb platforms load.
SYSTEM_PACKAGES=(
  python3-venv
  dovecot-imapd dovecot-pop3d dovecot-lmtpd
  openssh-server openssh-client
  gnome-keyring dbus dbus-x11
  tftpd-hpa tftp-hpa   # the server, and the Debian client one test checks it against
  libenchant-2-2 hunspell-en-us hunspell-vi
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libglib2.0-0 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
  "${WEBENGINE_PACKAGES[@]}"
  desktop-file-utils appstream   # the tests validate the .desktop file and the AppStream metadata
)
# Only the benchmarks need these (the peers we measure against).
BENCH_PACKAGES=(isync lftp curl openssh-client)

missing_packages() {
  local p out=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || out+=("$p")
  done
  echo "${out[@]}"
}

ensure_system_packages() {
  local missing
  # shellcheck disable=SC2207
  missing=($(missing_packages "$@"))
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    echo "Not a Debian/Ubuntu system: install the equivalents of: ${missing[*]} (see README.md)" >&2
    return 1
  fi
  if [ "$(id -u)" -eq 0 ]; then
    echo "==> apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # Keep the distribution's own dovecot/sshd/tftpd services from starting: the tests run private instances.
    local policy=/usr/sbin/policy-rc.d created_policy=0
    if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; created_policy=1; fi
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
      apt-get install -y --no-install-recommends "${missing[@]}"
    if [ $created_policy -eq 1 ]; then rm -f "$policy"; fi
  else
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Install them with:  sudo apt-get install ${missing[*]}" >&2
    return 1
  fi
}

ensure_venv() {
  local extra="${1:-}"
  if [ ! -x "$PY" ]; then
    echo "==> creating $VENV"
    python3 -m venv "$VENV"
    "$PY" -m pip install -q --upgrade pip
  fi
  local stamp="$VENV/.quay-installed${extra:+-$extra}"
  if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
    echo "==> installing Quay${extra:+ with [$extra]} into $VENV"
    "$PY" -m pip install -q -e "$ROOT${extra:+[$extra]}"
    touch "$stamp"
  fi
}
