#!/usr/bin/env bash
# Source rules the build cannot express, run as a CTest (label "source"):
#   1. engine/ never includes or links Qt: no Qt header, no Qt package in its CMake files, and no
#      libQt* in the engine binary's dependencies.
#   2. The function page's screens reach the engine only through FunctionController: nothing in
#      app/src/function but the controller's own files (functioncontroller*.cpp, controllerrun.h)
#      includes the engine's facade.
#   3. Every line changed since the format base (.ci/format-base, a commit) is as clang-format
#      wants it; older lines are left alone until someone touches them.
# Usage: check-source.sh <source dir> <engine binary>
set -uo pipefail
src=$1
engine=$2
failed=0

qt_includes=$(grep -rnE '^\s*#\s*include\s*[<"](Q[A-Z][A-Za-z]*|Qt[A-Za-z]+/)' "$src/engine" \
    --include='*.h' --include='*.cpp' --include='*.hpp' || true)
qt_cmake=$(grep -rnE 'Qt[0-9]?::|find_package\s*\(\s*Qt' "$src/engine" --include=CMakeLists.txt \
    --include='*.cmake' || true)
qt_links=$(ldd "$engine" 2>/dev/null | grep -E 'libQt' || true)
for finding in "$qt_includes" "$qt_cmake" "$qt_links"; do
    if [[ -n $finding ]]; then
        echo "check-source: engine/ must not use Qt:"
        echo "$finding"
        failed=1
    fi
done

engine_users=$(grep -rlE '#\s*include\s*"lambdesk/engine/engine.h"' "$src/app/src/function" |
    grep -vE '/(functioncontroller|functioncontrollertriggers|functioncontrollerasync|controllerrun)\.(cpp|h)$' || true)
if [[ -n $engine_users ]]; then
    echo "check-source: app/src/function reaches the engine through FunctionController only:"
    echo "$engine_users"
    failed=1
fi

base=$(cat "$src/.ci/format-base" 2>/dev/null || true)
if ! command -v git-clang-format >/dev/null || ! command -v clang-format >/dev/null; then
    echo "check-source: SKIP formatting: clang-format is not installed (apt-get install clang-format)"
elif ! git -C "$src" rev-parse --verify -q "$base^{commit}" >/dev/null; then
    echo "check-source: SKIP formatting: format base '$base' is not in this checkout's history"
else
    # Only C++ sources of our own; git clang-format formats just the lines changed since base.
    diff=$(cd "$src" && git clang-format --diff --extensions cpp,h "$base" -- engine app editor tests bench packaging 2>&1)
    case $diff in
    "no modified files to format" | "clang-format did not modify any files" | "") ;;
    *)
        echo "check-source: lines changed since $base are not clang-formatted (run: git clang-format $base):"
        echo "$diff"
        failed=1
        ;;
    esac
fi
((failed)) && exit 1
echo "check-source: engine is Qt-free; function screens use FunctionController; changed lines are formatted"
