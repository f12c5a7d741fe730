#!/usr/bin/env bash
# A real SLURM run on this machine: install Debian's slurm-wlm and munge if missing, start
# munged, slurmctld and slurmd on localhost from a generated slurm.conf, submit the array
# script that `nncompress sweep --emit-slurm` writes for a 6-run sweep in 3 sub-batches,
# wait, merge the shards and check every run is there exactly once and completed.
# Skips (exit 77, which ctest reports as "Skipped") only where packages cannot be installed
# or daemons started: not root and no password-less sudo; under NNC_CI=1 (.ci/run, whose
# machine runs as root) that is a failure. Every wait is bounded; the daemons it started
# are stopped on exit.
# Usage: slurm_test.sh NNCOMPRESS
set -uo pipefail
NNC=$(readlink -f "$1")
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if sudo -n true 2>/dev/null; then SUDO="sudo -n"
  else
    echo "SKIP slurm-test: needs root or password-less sudo to install and start slurm/munge"
    [ "${NNC_CI:-0}" = 1 ] && { echo "FAIL slurm-test: NNC_CI=1 and this test must run in CI"; exit 1; }
    exit 77
  fi
fi
T=$(mktemp -d /tmp/nnc-slurm.XXXXXX)
chmod 755 "$T"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do $SUDO kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do for _ in $(seq 50); do $SUDO kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; done
  $SUDO rm -rf "$T"
}
trap cleanup EXIT
fail() {
  echo "FAIL slurm-test: $*"
  for f in slurmctld.log slurmd.log; do [ -f "$T/$f" ] && { echo "--- $f"; tail -15 "$T/$f"; }; done
  ls "$T"/out/slurm-logs/* >/dev/null 2>&1 && { echo "--- array task logs"; tail -5 "$T"/out/slurm-logs/*; }
  exit 1
}
start=$SECONDS

# --- packages --------------------------------------------------------------------------
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  echo "installing slurm-wlm and munge with apt-get ..."
  export DEBIAN_FRONTEND=noninteractive
  ($SUDO apt-get update -qq && $SUDO apt-get install -y -qq slurm-wlm munge) >"$T/apt.log" 2>&1 \
    || { tail -5 "$T/apt.log"; fail "apt-get install slurm-wlm munge failed (see above)"; }
fi
command -v sbatch >/dev/null || fail "sbatch not found after installing slurm-wlm"
command -v sqlite3 >/dev/null || fail "needs the sqlite3 command (apt-get install sqlite3)"

# --- munge --------------------------------------------------------------------------------
if [ ! -s /etc/munge/munge.key ]; then
  $SUDO mkdir -p /etc/munge
  $SUDO dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
  $SUDO chown munge:munge /etc/munge/munge.key
  $SUDO chmod 400 /etc/munge/munge.key
fi
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  $SUDO mkdir -p /run/munge /var/lib/munge /var/log/munge
  $SUDO chown munge:munge /run/munge /var/lib/munge /var/log/munge
  $SUDO runuser -u munge -- /usr/sbin/munged --force >"$T/munged.out" 2>&1 \
    || fail "munged did not start: $(cat "$T/munged.out")"
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  # munged daemonises; remember it so that it is stopped at the end
  MPID=$(cat /run/munge/munged.pid 2>/dev/null || pgrep -u munge -n -x munged)
  [ -n "$MPID" ] && PIDS+=("$MPID")
fi
munge -n | unmunge >/dev/null 2>&1 || fail "munge does not work (munge -n | unmunge)"

# --- slurm.conf (minimal single-node: proctrack/linuxproc, task/none) and daemons -------
H=$(hostname -s)
MEM=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
PORT=$(( 20000 + RANDOM % 20000 ))
mkdir -p "$T/state" "$T/spool"
cat > "$T/slurm.conf" <<CONF
ClusterName=nnctest
SlurmctldHost=$H(127.0.0.1)
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
NodeName=$H NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$MEM State=UNKNOWN
PartitionName=nnc Nodes=$H Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$T/slurm.conf
$SUDO env SLURM_CONF="$SLURM_CONF" slurmctld -D -i >"$T/slurmctld.out" 2>&1 &
PIDS+=($!)
$SUDO env SLURM_CONF="$SLURM_CONF" slurmd -D -N "$H" >"$T/slurmd.out" 2>&1 &
PIDS+=($!)
state=""
for _ in $(seq 120); do
  state=$(sinfo -h -n "$H" -o %T 2>/dev/null | head -1)
  [ "$state" = idle ] && break
  case "$state" in drain*|down*) $SUDO env SLURM_CONF="$SLURM_CONF" scontrol update nodename="$H" state=resume >/dev/null 2>&1 ;; esac
  sleep 0.5
done
[ "$state" = idle ] || fail "node $H not idle after 60 s (state '$state')"
echo "slurm up on $H:$PORT after $((SECONDS - start)) s"

# --- the sweep, as a user submits it -----------------------------------------------------
cat > "$T/plan.toml" <<'PLAN'
kind = "train"
[fixed]
dataset = "blobs"
model = "mlp"
epochs = 1
save_weights = false
[grid]
seed = [0, 1, 2]
lr = [0.01, 0.02]
PLAN
cd "$T"
"$NNC" sweep plan.toml --out out --emit-slurm job.sh --num-sub-batches 3 --partition nnc \
  --time 00:10:00 --mem 500M --cpus-per-task 1 --job-name nnc-test >"$T/emit.out" 2>&1 \
  || fail "emit-slurm: $(cat "$T/emit.out")"
grep -q "#SBATCH --array=0-2" job.sh || fail "job.sh has no --array=0-2"
JOB=$(sbatch --parsable job.sh) || fail "sbatch refused job.sh"
echo "submitted array job $JOB"
for ((i = 0; i < 300; i++)); do
  [ -z "$(squeue -h -j "$JOB" 2>/dev/null)" ] && break
  sleep 1
done
[ -z "$(squeue -h -j "$JOB" 2>/dev/null)" ] || { scancel "$JOB"; fail "array job $JOB not done after 300 s"; }

# --- merge and check ----------------------------------------------------------------------
total=0
for i in 0 1 2; do
  [ -f "out/shard-$i/results.db" ] || fail "array task $i wrote no out/shard-$i/results.db"
  n=$(sqlite3 "out/shard-$i/results.db" "SELECT count(*) FROM runs WHERE status='completed'")
  [ "$n" = 2 ] || fail "shard $i has $n completed runs, expected 2"
  total=$((total + n))
done
"$NNC" results merge --out merged out/shard-0 out/shard-1 out/shard-2 >/dev/null || fail "merge"
"$NNC" results merge --out merged out/shard-* >/dev/null || fail "merge again"
got=$(sqlite3 merged/results.db "SELECT count(*) || ' ' || count(DISTINCT id) FROM runs WHERE status='completed'")
all=$(sqlite3 merged/results.db "SELECT count(*) FROM runs")
[ "$total" = 6 ] && [ "$got" = "6 6" ] && [ "$all" = 6 ] || fail "merged: '$got' completed/distinct, $all rows; expected 6 6 6"
"$NNC" sweep plan.toml --out merged --dry-run 2>/dev/null | grep -q "6 runs: 6 completed, 0 remaining" \
  || fail "the merged database does not hold the plan's runs"
echo "ok   slurm-test: 3 array tasks, 6 runs merged, each exactly once ($((SECONDS - start)) s)"
