#!/usr/bin/env bash
# Installs the Debian and npm packages cloudphone needs to build, run and test.
# Idempotent: packages already present are skipped, so a second run is a no-op.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_BUILD=(
  build-essential cmake ninja-build ccache pkg-config git clang-format
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-system1.81-dev
  libpq-dev libsqlite3-dev libsodium-dev libssl-dev libjwt-dev libspdlog-dev libfmt-dev
  libcli11-dev libyaml-cpp-dev libgtest-dev libgmock-dev libbenchmark-dev
  libhiredis-dev librabbitmq-dev libzip-dev zlib1g-dev
  libcurl4-openssl-dev  # SMTP client of the mailer (STARTTLS, SMTPS, AUTH; docs/decisions.md)
  libcairo2-dev libfreetype-dev libx264-dev libavcodec-dev libavutil-dev libswscale-dev
  fonts-dejavu-core
  # WebRTC workers (webrtcbin driven through GObject signals: plugins-bad's -dev package is not
  # needed, and it would pull ~1 GB of OpenCV; see docs/decisions.md).
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
)
APT_RUNTIME=(
  postgresql redis-server adb aapt apksigner android-framework-res zipalign
  wrk curl ca-certificates openjdk-17-jre-headless podman runc
  python3  # bench drivers and small helpers in scripts/
  chromium fonts-noto-cjk
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-nice
  coturn  # TURN server of the WebRTC relay test
  rabbitmq-server  # event bus tests and bench (scripts/test-servers/rabbitmq.sh starts its own node)
  ffmpeg  # ffprobe checks recorded MP4s in tests (Debian has no smaller package with it)
)
# Node.js may come from Debian or elsewhere; install Debian's only when none is present.
command -v node >/dev/null 2>&1 || APT_RUNTIME+=(nodejs)
command -v npm >/dev/null 2>&1 || APT_RUNTIME+=(npm)
APT_ALL=("${APT_BUILD[@]}" "${APT_RUNTIME[@]}")

missing=()
for p in "${APT_ALL[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "install-deps: apt installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # The Debian postgresql package creates and starts a cluster; tests run their own servers.
else
  echo "install-deps: Debian packages present"
fi

# npm packages (web consoles, Swagger UI, test tools) live in the repo's own node_modules.
if [ -f package.json ]; then
  if [ ! -d node_modules ] || [ package.json -nt node_modules/.install-stamp ]; then
    echo "install-deps: npm install"
    npm install --no-audit --no-fund --loglevel=error
    touch node_modules/.install-stamp
  else
    echo "install-deps: npm packages present"
  fi
fi
