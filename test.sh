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

# The README's first command, as a newcomer runs it: the launcher builds the jar on first use.
./portaudit --version
./portaudit audit --help >/dev/null
rc=0
./portaudit audit --color never >target/readme-audit.txt || rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ] && [ "$rc" -ne 3 ]; then
    echo "test.sh: ./portaudit audit exited $rc" >&2
    cat target/readme-audit.txt >&2
    exit 1
fi
grep -q '^PROTO' target/readme-audit.txt || { echo "test.sh: ./portaudit audit printed no port table" >&2; exit 1; }
echo "test.sh: launcher ok (./portaudit --version, audit --help, audit exit $rc)"

mvn -B -ntp verify "$@"
