#!/usr/bin/env bash
# Builds (or finds, when cached) the Lambdesk microVM guest image: the kernel (build-kernel.sh) and
# the root image (build-rootfs.sh), then records them in <cache>/guest/image.json, which the
# engine's microvm backend reads. Idempotent: a second run with unchanged inputs takes a second.
# Progress lines "PROGRESS <percent> <text>" go to stderr for the app's progress bar.
#   build-image.sh [--jobs N]      (cache: $LAMBDESK_CACHE_DIR, else ${XDG_CACHE_HOME:-~/.cache}/lambdesk)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${LAMBDESK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lambdesk}
export LAMBDESK_CACHE_DIR=$cache

kernel=$("$here/build-kernel.sh" "$@" | tail -n1)
rootfs=$("$here/build-rootfs.sh" | tail -n1)
interpreters=()
for i in /usr/bin/python3.11 /usr/bin/node $(ls /usr/bin/ruby3.[0-9]* 2>/dev/null | sort -V | tail -n1) \
    $(ls -d /usr/lib/jvm/java-*-openjdk-*/bin/java 2>/dev/null | sort -V | tail -n1); do
    [[ -x $i ]] && interpreters+=("\"$(readlink -f "$i")\"")
done
manifest=$cache/guest/image.json
cat >"$manifest.tmp" <<JSON
{
  "kernel": "$kernel",
  "rootfs": "$rootfs",
  "interpreters": [$(IFS=,; echo "${interpreters[*]}")]
}
JSON
mv "$manifest.tmp" "$manifest"
# Older kernels and images are dead weight once a new one is recorded.
find "$cache/guest" -maxdepth 1 \( -name 'rootfs-*.squashfs' ! -path "$rootfs" \) -delete
find "$cache/guest" -maxdepth 1 -type d -name 'kernel-*' ! -path "$(dirname "$kernel")" -exec rm -rf {} +
echo "PROGRESS 100 guest image ready" >&2
echo "$manifest"
