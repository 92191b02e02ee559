#!/usr/bin/env bash
# A single-node Slurm on localhost for tests, without systemd: munged, slurmctld and slurmd started in the
# foreground from a scratch directory (their own sockets, ports, spool and state), proctrack/pgid.
# Source it; `slurm_up DIR` starts the cluster and exports SLURM_CONF, `slurm_down` stops it.

slurm_free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

slurm_up() {
  SLURM_DIR=$1
  mkdir -p "$SLURM_DIR"/{state,spool,munge}
  chmod 700 "$SLURM_DIR/munge"
  mungekey --create --keyfile="$SLURM_DIR/munge/munge.key" --force >/dev/null
  munged --force --foreground --socket="$SLURM_DIR/munge/socket" --key-file="$SLURM_DIR/munge/munge.key" \
    --pid-file="$SLURM_DIR/munge/munged.pid" --log-file="$SLURM_DIR/munge/munged.log" \
    --seed-file="$SLURM_DIR/munge/seed" >"$SLURM_DIR/munge/munged.out" 2>&1 &
  SLURM_PIDS=($!)
  local user ctld_port d_port
  user=$(id -un)
  ctld_port=$(slurm_free_port)
  d_port=$(slurm_free_port)
  cat >"$SLURM_DIR/slurm.conf" <<CONF
ClusterName=dsetest
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=$user
SlurmdUser=$user
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
AuthType=auth/munge
AuthInfo=socket=$SLURM_DIR/munge/socket
CredType=cred/munge
ProctrackType=proctrack/pgid
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
StateSaveLocation=$SLURM_DIR/state
SlurmdSpoolDir=$SLURM_DIR/spool
SlurmctldPidFile=$SLURM_DIR/slurmctld.pid
SlurmdPidFile=$SLURM_DIR/slurmd.pid
SlurmctldLogFile=$SLURM_DIR/slurmctld.log
SlurmdLogFile=$SLURM_DIR/slurmd.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
JobRequeue=1
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
MinJobAge=300
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF=$SLURM_DIR/slurm.conf
  for _ in $(seq 50); do [ -S "$SLURM_DIR/munge/socket" ] && break; sleep 0.1; done
  slurmctld -D -i -f "$SLURM_CONF" >"$SLURM_DIR/slurmctld.out" 2>&1 &
  SLURM_PIDS+=($!)
  slurmd -D -N localhost -f "$SLURM_CONF" >"$SLURM_DIR/slurmd.out" 2>&1 &
  SLURM_PIDS+=($!)
  for _ in $(seq 100); do
    if sinfo -h -N -o '%T' 2>/dev/null | grep -q '^idle'; then return 0; fi
    sleep 0.2
  done
  echo "slurm_up: the node did not become idle; logs in $SLURM_DIR" >&2
  return 1
}

# Cancels what is left, stops the daemons, and kills any job step they leave behind (slurmstepd outlives
# slurmd).
slurm_down() {
  scancel --user="$(id -un)" 2>/dev/null || true
  for pid in "${SLURM_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SLURM_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  pkill -KILL -f "slurmstepd: \\[" 2>/dev/null || true
}
