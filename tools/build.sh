#!/usr/bin/env bash
# Installs the Debian 12 packages heluo needs (only those missing), then configures and builds into build/.
# usage: tools/build.sh [--test-deps | --bench-deps]
# Run from anywhere; needs root (or sudo) the first time, for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler grpc-proto
  libicu-dev liblmdb-dev libxxhash-dev nlohmann-json3-dev libcli11-dev libspdlog-dev
  libgtest-dev libgmock-dev libbenchmark-dev libssl-dev libexpat1-dev openssl libcpp-httplib-dev libnats-dev
)
# --test-deps: also what the third-party acceptance test drives (OmegaT, translate-toolkit, xmllint), the
# fuzzers (clang) and the OmegaT plugin build (JDK, grpc-java).
if [ "${1:-}" = "--test-deps" ]; then
  PACKAGES+=(omegat default-jdk-headless libxml2-utils unzip translate-toolkit python3-lxml clang-14 libclang-rt-14-dev)
  # The HTTP tests: curl, translate-toolkit's tmserver (needs cheroot), and npm for a LibreTranslate client
  # (a Node.js that already brings its own npm is kept).
  PACKAGES+=(curl python3-cheroot)
  # Replication tests run a real JetStream server.
  PACKAGES+=(nats-server)
  command -v npm >/dev/null || PACKAGES+=(npm)
  # The web console's browser test: Chromium headless, driven by chromium-driver through Selenium.
  PACKAGES+=(chromium chromium-driver python3-selenium)
  # The OmegaT plugin (cmake/omegat_plugin.cmake): grpc-java and the jars its Debian package does not pull in.
  PACKAGES+=(libgrpc-java libprotobuf-java protobuf-compiler-grpc-java-plugin libnetty-java libperfmark-java
             libguava-java libgoogle-gson-java libgeronimo-annotation-1.3-spec-java junit4)
fi
# --bench-deps: what the benchmarks outside CI use (never CI): PostgreSQL 15 with pg_trgm and psycopg2 for
# tests/bench/pg_compare.sh, gnuplot for the plots in tools/, h2load for import_bench.sh's READERS=1.
if [ "${1:-}" = "--bench-deps" ]; then
  PACKAGES+=(postgresql-15 python3-psycopg2 gnuplot-nox nghttp2-client)
fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

REQUIRE_PLUGIN=OFF
[ "${1:-}" = "--test-deps" ] && REQUIRE_PLUGIN=ON  # The tests include the plugin's: it must be built.
# Release (-O3), as packagers build: the whole test suite runs on the optimized build, so CI needs no second
# Release build. A debugging build: cmake -S . -B build-debug -DCMAKE_BUILD_TYPE=RelWithDebInfo (or Debug).
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DHELUO_WERROR=ON \
  -DHELUO_REQUIRE_OMEGAT_PLUGIN="$REQUIRE_PLUGIN" >/dev/null
cmake --build build -j"$(nproc)"
