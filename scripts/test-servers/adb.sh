#!/usr/bin/env bash
# ctest fixture: Google's adb server (Debian package `adb`, v29) on a free loopback port, with
# its own HOME so the tests control its key (~/.android/adbkey).
#   adb.sh start ENV_DIR   -> writes ENV_DIR/adb.env (ADB_SERVER_PORT, ADB_HOME, ADB_PUBKEY)
#   adb.sh stop ENV_DIR    -> kills that server
set -euo pipefail
cmd=${1:?usage: adb.sh start|stop ENV_DIR}
env_dir=${2:?usage: adb.sh start|stop ENV_DIR}
mkdir -p "$env_dir"
env_file="$env_dir/adb.env"
home="$env_dir/adb-home"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

case "$cmd" in
start)
  if ! command -v adb >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends adb
  fi
  if [ -f "$env_file" ]; then "$0" stop "$env_dir" || true; fi
  mkdir -p "$home"
  port=$(free_port)
  # The server daemonises; it inherits HOME and writes its key to $HOME/.android on first start.
  HOME="$home" ANDROID_ADB_SERVER_PORT="$port" adb -P "$port" start-server >"$env_dir/adb-start.log" 2>&1
  for _ in $(seq 50); do
    [ -f "$home/.android/adbkey.pub" ] && break
    sleep 0.1
  done
  HOME="$home" adb -P "$port" version >/dev/null
  {
    echo "ADB_SERVER_PORT=$port"
    echo "ADB_HOME=$home"
    echo "ADB_PUBKEY=$home/.android/adbkey.pub"
  } >"$env_file"
  echo "adb server on 127.0.0.1:$port (HOME=$home)"
  ;;
stop)
  [ -f "$env_file" ] || exit 0
  port=$(sed -n 's/^ADB_SERVER_PORT=//p' "$env_file")
  HOME="$home" adb -P "$port" kill-server >/dev/null 2>&1 || true
  rm -f "$env_file"
  ;;
*)
  echo "usage: adb.sh start|stop ENV_DIR" >&2
  exit 2
  ;;
esac
