# Shared by the fixture scripts that run one server process (s3.sh, smtp.sh, coturn.sh).
# The caller sets: name (for messages), base (its scratch dir), pid_file, env_file, and defines
#   launch PORT     starts the server in the background (setsid) and writes $pid_file
#   is_ready PORT   true once the server answers
#   write_env PORT  prints the env file's lines
# then calls `fixture_main "$cmd"`.

free_port() {
  python3 -c 'import socket, sys; s=socket.socket(); s.bind((sys.argv[1], 0)); print(s.getsockname()[1])' \
    "${1:-127.0.0.1}"
}

running() { [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; }

stop_server() {
  if running; then
    local pid; pid=$(cat "$pid_file")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$base" "$env_file"
}

# Up to 3 attempts on a fresh free port (another process may take the port between the probe
# and the bind); each waits up to 10 s for is_ready.
start_on_free_port() {
  local port attempt
  for attempt in 1 2 3; do
    port=$(pick_port)
    launch "$port"
    for _ in $(seq 1 100); do
      if is_ready "$port"; then
        write_env "$port" >"$env_file.tmp"
        mv "$env_file.tmp" "$env_file"
        echo "$name: listening on port $port"
        return 0
      fi
      running || break
      sleep 0.1
    done
    kill "$(cat "$pid_file")" 2>/dev/null || true
    echo "$name: attempt $attempt failed:" >&2
    cat "$base"/*.log >&2 2>/dev/null || true
  done
  return 1
}

pick_port() { free_port; }  # coturn overrides it (TCP and UDP on its address)

fixture_main() {
  case "$1" in
    start)
      if [ -f "$env_file" ] && running; then
        echo "$name: already running ($(head -1 "$env_file"))"
        return 0
      fi
      stop_server
      prepare
      start_on_free_port || exit 1
      ;;
    stop) stop_server ;;
    *) echo "usage: $name start|stop ENV_DIR" >&2; exit 2 ;;
  esac
}
