#!/usr/bin/env bash
# Builds the Lambdesk guest kernel (an uncompressed vmlinux with the PVH entry point) from Debian's
# linux-source-6.1 and our config fragment, and caches it under
#   ${XDG_CACHE_HOME:-~/.cache}/lambdesk/guest/kernel-<hash>/vmlinux
# where <hash> covers every input (fragment, this script, the source package version), so the build
# runs once and is a no-op afterwards. Prints the vmlinux path as its last stdout line.
# Needs: linux-source-6.1 flex bison bc libelf-dev libssl-dev (about 3 minutes on 2 cores).
#   build-kernel.sh [--jobs N]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jobs=$(nproc)
while (($#)); do
    case $1 in
    --jobs) jobs=$2; shift 2 ;;
    *) echo "usage: build-kernel.sh [--jobs N]" >&2; exit 2 ;;
    esac
done

cache=${LAMBDESK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lambdesk}
tarball=/usr/src/linux-source-6.1.tar.xz
if [[ ! -f $tarball ]]; then
    echo "build-kernel: $tarball is missing: apt-get install linux-source-6.1 flex bison bc libelf-dev libssl-dev" >&2
    exit 1
fi
for tool in flex bison bc make gcc; do
    command -v $tool >/dev/null || { echo "build-kernel: '$tool' is missing" >&2; exit 1; }
done

source_version=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || stat -c %s-%Y "$tarball")
hash=$( { echo "$source_version"; cat "$here/kernel.config" "$here/build-kernel.sh"; } | sha256sum | cut -c1-16)
out=$cache/guest/kernel-$hash
if [[ -f $out/vmlinux ]]; then
    echo "$out/vmlinux"
    exit 0
fi

work=$cache/guest/build-kernel-$hash.$$
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
echo "PROGRESS 5 unpacking linux-source $source_version" >&2
tar -xf "$tarball" -C "$work"
src=$(echo "$work"/linux-source-*)
echo "PROGRESS 10 configuring" >&2
make -s -C "$src" O="$work/obj" allnoconfig KCONFIG_ALLCONFIG="$here/kernel.config" >&2
# Every requested option must have stuck; a silently dropped driver means a guest that cannot boot.
while IFS='=' read -r key value; do
    [[ $key =~ ^CONFIG_ ]] || continue
    if [[ $value == n ]]; then
        grep -q "^$key=" "$work/obj/.config" && { echo "build-kernel: $key is still set" >&2; exit 1; }
    else
        grep -qx "$key=$value" "$work/obj/.config" || { echo "build-kernel: $key=$value did not apply" >&2; exit 1; }
    fi
done <"$here/kernel.config"
echo "PROGRESS 15 compiling the kernel (a few minutes)" >&2
make -s -C "$src" O="$work/obj" -j"$jobs" vmlinux >&2
mkdir -p "$out.tmp"
# Stripping keeps the ELF notes (the PVH entry lives there) and drops the symbol table.
strip -o "$out.tmp/vmlinux" "$work/obj/vmlinux"
cp "$work/obj/.config" "$out.tmp/config"
rm -rf "$out"
mv "$out.tmp" "$out"
echo "PROGRESS 55 kernel ready" >&2
echo "$out/vmlinux"
