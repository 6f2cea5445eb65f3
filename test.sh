#!/bin/sh
# The whole test suite, lab tests included: sudo ./test.sh
# Installs what it needs with apt-get, builds with a JDK >= 21, runs every test (unit tests on
# fixtures, and lab tests that create network namespaces on 10.77.0.0/16 and fd77::/16 only),
# and takes the device lab down at the end.
set -eu
cd "$(dirname "$0")"
if [ "$(id -u)" != 0 ]; then
    echo "test.sh: run as root (sudo ./test.sh): lab tests create network namespaces and firewall rules" >&2
    exit 2
fi
./tools/install-deps
JAVA_HOME=$(./tools/find-jdk)
export JAVA_HOME
trap 'lab/lab down >/dev/null 2>&1 || true' EXIT INT TERM
mvn -B -ntp verify "$@"
