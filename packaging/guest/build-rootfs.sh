#!/usr/bin/env bash
# Builds the Lambdesk guest root: a read-only squashfs (lz4) image made from this machine's own
# Debian files (python3.11, node, busybox-static and the shared libraries they load) plus our
# in-guest agent lambdesk-init, cached under
#   ${XDG_CACHE_HOME:-~/.cache}/lambdesk/guest/rootfs-<hash>.squashfs
# where <hash> covers the inputs (this script, the agent sources, the package versions), so it is
# rebuilt only when they change. Nothing is downloaded. Prints the image path as its last line.
# Runtime bootstraps are not baked in: the backend exports engine/runtimes/<kind> read-only at
# /var/runtime on every start, so editing a bootstrap never needs a new image.
# Needs: squashfs-tools busybox-static g++ (static libc/libstdc++ come with it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${LAMBDESK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lambdesk}
python=/usr/bin/python3.11
node=/usr/bin/node
busybox=/bin/busybox

for tool in mksquashfs g++ ldd; do
    command -v $tool >/dev/null || { echo "build-rootfs: '$tool' is missing (apt-get install squashfs-tools g++)" >&2; exit 1; }
done
[[ -x $busybox ]] || { echo "build-rootfs: $busybox is missing (apt-get install busybox-static)" >&2; exit 1; }

agent_sources=("$here"/agent/*.cpp "$here"/agent/*.h "$repo/engine/src/sandbox/microvm/protocol/microvmprotocol.h"
    "$here"/zygote/*)
# boto3 and what it imports, as Lambda's Python runtimes have it (Debian's python3-boto3).
boto3_packages=(python3-boto3 python3-botocore python3-s3transfer python3-jmespath python3-dateutil
    python3-urllib3 python3-six python3-requests python3-idna python3-certifi
    python3-charset-normalizer python3-chardet)
# The newest Ruby installed serves the ruby3.x runtimes (Debian 12's is 3.1).
ruby=$(ls /usr/bin/ruby3.[0-9]* 2>/dev/null | sort -V | tail -n1 || true)
# The newest JDK serves the java runtimes: its runtime part only (no compiler, no desktop
# libraries), with its configuration in /etc and Debian's Jackson that our runtime loads.
java_home=$(ls -d /usr/lib/jvm/java-*-openjdk-* 2>/dev/null | sort -V | tail -n1 || true)
[[ -n $java_home && -x $java_home/bin/java ]] || java_home=
java_major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$java_home/release" 2>/dev/null || true)
java_packages=(${java_home:+"openjdk-$java_major-jre-headless" libjackson2-databind-java
    libjackson2-core-java libjackson2-annotations-java ca-certificates-java})
versions=$(dpkg-query -W -f='${Package}=${Version}\n' python3.11 python3.11-minimal libpython3.11-stdlib \
    nodejs busybox-static libc6 libssl3 ca-certificates bash curl libcurl4 "${boto3_packages[@]}" \
    ${ruby:+ruby "${ruby##*/}" "lib${ruby##*/}"} "${java_packages[@]}" 2>/dev/null || true)
hash=$( {
    echo "$versions"
    stat -L -c '%n %s %Y' "$python" "$busybox" "$node" 2>/dev/null || true
    cat "$here/build-rootfs.sh" "${agent_sources[@]}"
} | sha256sum | cut -c1-16)
image=$cache/guest/rootfs-$hash.squashfs
if [[ -f $image ]]; then
    echo "$image"
    exit 0
fi

stage=$cache/guest/build-rootfs-$hash.$$
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"
cd "$stage"
echo "PROGRESS 60 building the guest agent" >&2
mkdir -p usr/bin usr/sbin usr/lib/x86_64-linux-gnu usr/lib64 etc proc sys dev run tmp mnt opt root \
    var/task var/runtime var/tmp home/sbx_user1051
ln -s usr/bin bin
ln -s usr/sbin sbin
ln -s usr/lib lib
ln -s usr/lib64 lib64
g++ -std=c++20 -O2 -Wall -Wextra -Wpedantic -static -s -I"$repo/engine/src/sandbox/microvm/protocol" -o usr/sbin/lambdesk-init "$here"/agent/*.cpp
mkdir -p usr/lib/lambdesk
cp "$here"/zygote/* usr/lib/lambdesk/

echo "PROGRESS 70 copying runtimes" >&2
# Copies a host file to the same path in the image, following symlinks in the directory part so
# that /lib/... lands in /usr/lib/... (the image is usr-merged like the host).
copy_file() {
    local src=$1 dir
    dir=$(readlink -f "$(dirname "$src")")
    mkdir -p ".$dir"
    cp -L --preserve=mode,timestamps "$src" ".$dir/$(basename "$src")"
}
binaries=("$python")
[[ -x $node ]] && binaries+=("$node")
# What provided.al2023 has and a shell bootstrap uses (AWS's own custom runtime tutorial: bash
# polling the Runtime API with curl); busybox's sh and wget are no stand-ins for them.
for tool in /usr/bin/bash /usr/bin/curl; do
    [[ -x $tool ]] && binaries+=("$tool")
done
[[ -n $ruby && -x $ruby ]] && binaries+=("$ruby")
for b in "${binaries[@]}"; do copy_file "$b"; done
# Ruby's standard library and extensions, as the interpreter itself locates them (no docs).
ruby_dirs=()
if [[ -n $ruby && -x $ruby ]]; then
    mapfile -t ruby_dirs < <("$ruby" -e 'require "rbconfig"; c = RbConfig::CONFIG
        puts c["rubylibdir"], c["archdir"], c["vendordir"], c["vendorarchdir"],
             File.join(File.dirname(c["rubylibdir"]), "gems", c["ruby_version"])' |
        while read -r dir; do [[ -d $dir ]] && echo "${dir#/}"; done)
    if ((${#ruby_dirs[@]})); then
        (cd / && tar -cf - --exclude='*/man' --exclude='*.md' "${ruby_dirs[@]}") | tar -xf -
    fi
fi
java_libraries=()
if [[ -n $java_home ]]; then
    jdk=${java_home#/}
    java_parts=("$jdk/bin/java" "$jdk/lib" "$jdk/conf" "$jdk/release")
    for extra in "etc/java-$java_major-openjdk" etc/ssl/certs/java $(cd / && echo usr/share/java/jackson-*.jar); do
        [[ -e /$extra ]] && java_parts+=("$extra")
    done
    (cd / && tar -cf - --exclude="$jdk/lib/ct.sym" --exclude="$jdk/lib/src.zip" --exclude="$jdk/lib/*awt*" \
        --exclude="$jdk/lib/libsplashscreen.so" --exclude="$jdk/lib/libfontmanager.so" \
        --exclude="$jdk/lib/libjsound.so" --exclude="$jdk/lib/liblcms.so" --exclude="$jdk/lib/libjavajpeg.so" \
        --exclude="$jdk/lib/libmlib_image.so" "${java_parts[@]}") | tar -xf -
    mapfile -t java_libraries < <(find "$jdk/bin" "$jdk/lib" -name java -o -name '*.so' | sed 's|^|/|')
fi
ln -sf python3.11 usr/bin/python3
ln -sf python3 usr/bin/python

# The standard library, without what a function never imports (tests, IDLE, Tk, the static lib).
(cd / && tar -cf - --exclude='usr/lib/python3.11/test' --exclude='usr/lib/python3.11/idlelib' \
    --exclude='usr/lib/python3.11/tkinter' --exclude='usr/lib/python3.11/turtledemo' \
    --exclude='usr/lib/python3.11/ensurepip' --exclude='usr/lib/python3.11/config-3.11-*' \
    --exclude='*/tests' usr/lib/python3.11 etc/python3.11) | tar -xf -
mkdir -p usr/lib/python3/dist-packages
# boto3 where Debian's python3 finds it; a package missing here is missing on the host too, and
# the function's import error says so.
{ dpkg-query -L "${boto3_packages[@]}" 2>/dev/null || true; } |
    { grep -E '^/usr/lib/python3/dist-packages/.*\.(py|json|pem)$' || true; } | sed 's|^/||' |
    (cd / && tar -cf - --no-recursion -T -) | tar -xf -
# The image is read-only, so every module needs its byte code compiled now (Debian ships most).
"$python" -m compileall -q -j0 -s "$stage" -p / usr/lib/python3.11 usr/lib/python3/dist-packages \
    >/dev/null || true

# Shared libraries of every binary and extension module, by what the host's loader resolves.
ruby_extensions=()
((${#ruby_dirs[@]})) && mapfile -t ruby_extensions < <(find "${ruby_dirs[@]}" -name '*.so')
libs=$( { for f in "${binaries[@]}" usr/lib/python3.11/lib-dynload/*.so "${ruby_extensions[@]}" \
    "${java_libraries[@]}"; do
    ldd "$f" 2>/dev/null; done; } |
    awk '/=> \//{print $3} /^\t\/.*ld-linux/{print $1}' | sort -u)
for lib in $libs; do copy_file "$lib"; done

cp "$busybox" usr/bin/busybox
for applet in $("$busybox" --list); do
    [[ -e usr/bin/$applet || $applet == busybox ]] || ln -s busybox "usr/bin/$applet"
done

cat >etc/passwd <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
sbx_user1051:x:993:990::/home/sbx_user1051:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
PASSWD
printf 'root:x:0:\nsbx_user1051:x:990:\nnogroup:x:65534:\n' >etc/group
printf '127.0.0.1 localhost lambdesk\n' >etc/hosts
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >etc/nsswitch.conf
ln -s /run/resolv.conf etc/resolv.conf
printf 'NAME="Lambdesk guest"\nID=lambdesk\n' >etc/os-release
if [[ -f /etc/ssl/certs/ca-certificates.crt ]]; then
    mkdir -p etc/ssl/certs usr/lib/ssl
    cp /etc/ssl/certs/ca-certificates.crt etc/ssl/certs/
    [[ -f /etc/ssl/openssl.cnf ]] && cp /etc/ssl/openssl.cnf etc/ssl/
    ln -s /etc/ssl/certs usr/lib/ssl/certs
    ln -s /etc/ssl/certs/ca-certificates.crt usr/lib/ssl/cert.pem
    ln -s /etc/ssl/openssl.cnf usr/lib/ssl/openssl.cnf
fi
chown -R 993:990 home/sbx_user1051
chmod 1777 tmp var/tmp

echo "PROGRESS 85 compressing the image" >&2
mkdir -p "$cache/guest"
mksquashfs "$stage" "$image.tmp" -comp lz4 -Xhc -noappend -no-xattrs -no-progress -quiet >&2
mv "$image.tmp" "$image"
echo "PROGRESS 95 guest root ready" >&2
echo "$image"
