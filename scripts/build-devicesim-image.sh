#!/usr/bin/env bash
# Builds the local container image that packs the SIMULATED device (`cloudphone devicesim`),
# without any registry: a minimal rootfs (the binary, the shared libraries ldd reports, the
# dynamic loader, DejaVu fonts + fontconfig for cairo, /tmp, /data) imported with `podman import`.
#   build-devicesim-image.sh BINARY TAG   -> image localhost/cloudphone/devicesim:TAG
# Podman options (--root/--runroot, CONTAINERS_CONF) come from PODMAN_OPTS / the environment.
# Idempotent: the image carries the binary's sha256 as a label; an unchanged binary is not rebuilt.
set -euo pipefail
bin=${1:?usage: build-devicesim-image.sh BINARY TAG}
tag=${2:?usage: build-devicesim-image.sh BINARY TAG}
image="cloudphone/devicesim:$tag"
read -r -a podman <<<"podman ${PODMAN_OPTS:-}"

[ -x "$bin" ] || { echo "build-devicesim-image: $bin is not an executable" >&2; exit 1; }
sum=$(sha256sum "$bin" | cut -d' ' -f1)
have=$("${podman[@]}" image inspect --format '{{index .Labels "cloudphone.binary.sha256"}}' "$image" 2>/dev/null || true)
if [ "$have" = "$sum" ]; then
  echo "$image is up to date"
  exit 0
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/tmp" "$root/data" "$root/etc" "$root/usr/share/fonts/truetype"
chmod 1777 "$root/tmp"
cp "$bin" "$root/cloudphone"
# Shared libraries and the loader at the paths ldd resolved them to.
ldd "$bin" | grep -o '/[^ ]*' | sort -u | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
# cairo finds "DejaVu Sans" through fontconfig.
cp -r /usr/share/fonts/truetype/dejavu "$root/usr/share/fonts/truetype/"
[ -d /etc/fonts ] && cp -rL /etc/fonts "$root/etc/"
echo "root:x:0:0:root:/:/cloudphone" >"$root/etc/passwd"
echo "root:x:0:" >"$root/etc/group"

tar -C "$root" -c . | "${podman[@]}" import \
  --change 'ENTRYPOINT ["/cloudphone","devicesim"]' \
  --change 'WORKDIR /' \
  --change 'EXPOSE 5555' \
  --change "LABEL cloudphone.binary.sha256=$sum" \
  --message "cloudphone devicesim (simulated Android device)" - "$image" >/dev/null
# The old image (same tag) is now dangling; drop dangling images so storage does not grow.
"${podman[@]}" image prune -f >/dev/null 2>&1 || true
echo "built $image"
