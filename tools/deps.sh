#!/bin/sh
# deps.sh build|test|bench|fuzz - make sure the Debian packages chanval needs are
# installed: apt-get installs them when run as root; otherwise the exact
# command is printed and the script fails.  "pkg:cmd" is satisfied by either
# the package or a `cmd` on the PATH (node and npm often come from elsewhere);
# "pkg@module" by the package or a python3 that imports `module`.
set -eu
profile=${1:-build}

pkgs="make gcc libc6-dev pkg-config libxml2-dev libpcre2-dev libssl-dev libjansson-dev"
case $profile in
build) ;;
test) pkgs="$pkgs libcmocka-dev libxml2-utils cppcheck clang-tidy python3:python3 python3-jsonschema@jsonschema python3-yaml@yaml nodejs:node npm:npm
           clang:clang llvm:llvm-profdata libclang-rt-14-dev dpkg-dev debhelper lintian debootstrap zsh fish vim
           chromium:chromium tmux parallel:parallel" ;;
bench) pkgs="$pkgs libxml2-utils openssl nodejs:node npm:npm libjson-c-dev python3:python3 parallel:parallel" ;;
fuzz) pkgs="$pkgs libcmocka-dev python3:python3 clang:clang llvm:llvm-profdata libclang-rt-14-dev
           afl++:afl-clang-fast" ;;
*) echo "usage: tools/deps.sh build|test|bench|fuzz" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
    # Not Debian: check what the build needs and say what is missing.
    missing=""
    for m in libxml-2.0 libpcre2-8 libcrypto jansson; do
        pkg-config --exists "$m" 2>/dev/null || missing="$missing $m"
    done
    [ "$profile" = build ] || pkg-config --exists cmocka 2>/dev/null || missing="$missing cmocka"
    if [ -n "$missing" ]; then
        echo "deps: missing development packages for:$missing" >&2
        exit 1
    fi
    exit 0
fi

missing=""
for entry in $pkgs; do
    case $entry in
    *@*)
        python3 -c "import ${entry#*@}" >/dev/null 2>&1 && continue
        entry=${entry%@*}
        ;;
    esac
    p=${entry%%:*}
    cmd=${entry#*:}
    [ "$cmd" != "$entry" ] && command -v "$cmd" >/dev/null 2>&1 && continue
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case $status in *"ok installed"*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    echo "deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing >/dev/null
else
    echo "deps: missing packages. Install them with:" >&2
    echo "  sudo apt-get install -y$missing" >&2
    exit 1
fi
