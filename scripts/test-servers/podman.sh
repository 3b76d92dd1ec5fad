#!/usr/bin/env bash
# ctest fixture: podman's Docker-compatible Engine API on a unix socket, with project-local
# storage (--root/--runroot under ENV_DIR: the host's podman state is never touched) and a
# project containers.conf (runc, cgroupfs, lowered ulimits, file events). Also builds the
# simulated-device image from the cloudphone binary (scripts/build-devicesim-image.sh).
#   podman.sh start ENV_DIR  -> writes ENV_DIR/podman.env (CP_TEST_DOCKER_HOST, CONTAINERS_CONF,
#                               CP_TEST_DEVICESIM_IMAGE, CP_TEST_DOCKER_NETWORK, PODMAN_OPTS)
#   podman.sh stop ENV_DIR   -> stops the service, removes containers, images and storage
# Networking: both the default bridge (netavark + iptables) and slirp4netns publish the
# container's 5555/tcp on an engine-chosen 127.0.0.1 port here. Tests use slirp4netns
# (CP_TEST_DOCKER_NETWORK): nothing host-global (bridge, IP allocation, iptables rules) is shared
# between podman instances of different build directories running at the same time.
set -euo pipefail
cmd=${1:?usage: podman.sh start|stop ENV_DIR}
env_dir=${2:?usage: podman.sh start|stop ENV_DIR}
mkdir -p "$env_dir"
env_dir=$(cd "$env_dir" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
base="$env_dir/podman"
env_file="$env_dir/podman.env"
sock="$base/podman.sock"
conf="$base/containers.conf"
export CONTAINERS_CONF="$conf"
export PODMAN_OPTS="--root $base/root --runroot $base/runroot"
read -r -a podman <<<"podman $PODMAN_OPTS"
tag=test
image="cloudphone/devicesim:$tag"

stop_service() {
  if [ -f "$base/service.pid" ]; then
    pid=$(cat "$base/service.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$base/service.pid"
  fi
}

case "$cmd" in
start)
  if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends podman runc
  fi
  if [ -f "$env_file" ] || [ -d "$base" ]; then "$0" stop "$env_dir" || true; fi
  mkdir -p "$base"
  cat >"$conf" <<CONF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
log_driver = "k8s-file"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$base/events.log"
tmp_dir = "$base/tmp"
CONF
  # The binary: CP_CLOUDPHONE_BIN, else the build dir that holds ENV_DIR (<build>/test-env).
  bin=${CP_CLOUDPHONE_BIN:-$(dirname "$env_dir")/cloudphone}
  [ -x "$bin" ] || { echo "podman.sh: cloudphone binary not found at $bin (build it first)" >&2; exit 1; }
  setsid "${podman[@]}" system service --time=0 "unix://$sock" >"$base/service.log" 2>&1 </dev/null &
  echo $! >"$base/service.pid"
  for _ in $(seq 100); do
    if curl -sf --max-time 1 --unix-socket "$sock" http://podman/_ping >/dev/null 2>&1; then break; fi
    sleep 0.1
  done
  curl -sf --max-time 2 --unix-socket "$sock" http://podman/_ping >/dev/null || {
    echo "podman.sh: the API did not answer on $sock" >&2
    cat "$base/service.log" >&2
    stop_service
    exit 1
  }
  "$here/../build-devicesim-image.sh" "$bin" "$tag"
  {
    echo "CP_TEST_DOCKER_HOST=unix://$sock"
    echo "CONTAINERS_CONF=$conf"
    echo "CP_TEST_DEVICESIM_IMAGE=$image"
    echo "CP_TEST_DOCKER_NETWORK=slirp4netns"
    echo "PODMAN_OPTS=$PODMAN_OPTS"
  } >"$env_file"
  echo "podman API on unix://$sock ($(podman --version))"
  ;;
stop)
  [ -d "$base" ] || { rm -f "$env_file"; exit 0; }
  stop_service
  # Containers, images and overlay mounts go with a reset of the project-local storage.
  "${podman[@]}" rm -af -t 1 >/dev/null 2>&1 || true
  "${podman[@]}" system reset -f >/dev/null 2>&1 || true
  # Whatever is still mounted under the storage root (overlay, shm) must go before rm -rf.
  { grep -o " $base/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$base"
  rm -f "$env_file"
  ;;
*)
  echo "usage: podman.sh start|stop ENV_DIR" >&2
  exit 2
  ;;
esac
