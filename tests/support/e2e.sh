# Sourced by the end-to-end test scripts (tests/*/*_e2e.sh NNCOMPRESS): the binary as $NNC,
# a scratch folder $T removed on exit (a script that mounts in it replaces the trap), the
# ok/bad counters and the closing summary whose status is the script's result.
NNC=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0; passes=0
ok()  { passes=$((passes+1)); echo "ok   $1"; }
bad() { fails=$((fails+1)); echo "FAIL $1"; }
# e2e_summary NAME: "NAME: P passed, F failed"; succeeds only when nothing failed.
e2e_summary() { echo "$1: $passes passed, $fails failed"; [ "$fails" -eq 0 ]; }
