#!/usr/bin/env bash
# Installs what `make check` needs on a Debian machine, when it is missing,
# and configures Why3's provers once. Needs root to install; otherwise it
# prints the command to run.
set -eu

packages=(gcc clang libclang-rt-dev make libcmocka-dev frama-c-base why3 z3 cvc4 python3 binutils pkg-config
          # Test-only peers and libraries: interoperability tests, TLS in the
          # examples, the differential HPACK fuzzer.
          curl nghttp2-client nghttp2-server python3-h2 openssl libssl-dev libnghttp2-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "deps: missing Debian packages: ${missing[*]}"
        echo "deps: run as root: apt-get update && apt-get install -y ${missing[*]}"
        exit 1
    fi
    echo "deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Why3 needs to know the provers once per user.
if ! why3 config list-provers 2>/dev/null | grep -q '^Z3'; then
    why3 config detect >/dev/null
fi
echo "deps: all present"
