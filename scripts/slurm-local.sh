#!/usr/bin/env bash
# Starts and stops a real single-node Slurm cluster (Debian's slurm-wlm: munged, slurmctld,
# slurmd) on this machine, so the Slurm launch path can be tested end to end, `srun --mpi=pmix`
# included, without a site cluster. Everything but munged lives under STATE_DIR; the system's
# /etc/slurm is neither read nor touched.
#   eval "$(scripts/slurm-local.sh start STATE_DIR)"   # exports SLURM_CONF=STATE_DIR/slurm.conf
#   scripts/slurm-local.sh stop STATE_DIR              # idempotent
# The daemons run as root (via sudo for a regular user): slurmd must, to start jobs as their user.
set -euo pipefail

usage() { echo "usage: $0 start|stop STATE_DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
[ "$action" = stop ] && [ ! -d "$2" ] && exit 0
mkdir -p "$2"
dir=$(cd "$2" && pwd)
conf=$dir/slurm.conf

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
log() { echo "slurm-local: $*" >&2; }

# A pid is ours only while its command is still the daemon (pids get reused), and a zombie
# counts as gone: a container's init may be slow to reap the daemons it inherits.
alive() { local s; s=$(cat "/proc/$1/stat" 2>/dev/null) && [[ $s == *"($2) "[!Z]* ]]; }
pid_of() { cat "$1" 2>/dev/null || true; }

stop_daemon() {  # pid file, process name
  local pid
  pid=$(pid_of "$1")
  alive "$pid" "$2" || return 0
  sudo_if_needed kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do alive "$pid" "$2" || return 0; sleep 0.1; done
  log "$2 ($pid) ignored SIGTERM for 10 s, killing it"
  sudo_if_needed kill -9 "$pid" 2>/dev/null || true
}

stop() {
  if alive "$(pid_of "$dir/slurmctld.pid")" slurmctld; then
    # Jobs left running would keep their slurmstepd (and tasks) alive after slurmd goes.
    SLURM_CONF=$conf scancel --partition=debug 2>/dev/null || true
    for _ in $(seq 50); do
      [ -z "$(SLURM_CONF=$conf squeue -h -t R,CG 2>/dev/null)" ] && break; sleep 0.2
    done
  fi
  stop_daemon "$dir/slurmd.pid" slurmd
  stop_daemon "$dir/slurmctld.pid" slurmctld
  if [ -f "$dir/munged.pid" ]; then
    stop_daemon "$dir/munged.pid" munged
    rm -f "$dir/munged.pid"
  fi
}

show_logs() {
  for f in "$dir"/slurmctld.log "$dir"/slurmd.log; do
    [ -f "$f" ] && { echo "--- tail of $f" >&2; sudo_if_needed tail -n 20 "$f" >&2 || true; }
  done
}

fail() {
  log "$1"
  show_logs
  stop
  exit 1
}

start() {
  local host cpus mem attempt
  stop  # daemons left from an earlier start in $dir: a restart, not a second cluster
  host=$(hostname -s) cpus=$(nproc)
  # Slurm drains a node that reports less memory than configured; leave the kernel a margin.
  mem=$(awk '/^MemTotal:/ { m = int($2 / 1024); print (m > 1024 ? m - 512 : int(m / 2)) }' /proc/meminfo)
  mkdir -p "$dir/state" "$dir/spool"
  rm -f "$dir/slurmctld.pid" "$dir/slurmd.pid"  # stale ones, from daemons that died
  # No accounting: finished jobs are visible only through `scontrol show job` until MinJobAge.
  cat >"$conf" <<EOF
ClusterName=local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=pmix
MailProg=/bin/true
ReturnToService=2
MinJobAge=600
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus CoresPerSocket=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

  # A munged already answering (a host's own, or one started earlier) is shared, not owned.
  if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    sudo_if_needed install -d -o munge -g munge /run/munge
    sudo_if_needed runuser -u munge -- /usr/sbin/munged
    cp /run/munge/munged.pid "$dir/munged.pid"
    munge -n | unmunge >/dev/null || fail "munged started but does not answer"
  fi

  # On a loaded machine a daemon sometimes exits right after starting (seen once in ~20
  # starts under a parallel ctest): each attempt's logs are shown, and it is tried again.
  for attempt in 1 2 3; do
    launch_daemons "$host" && { echo "export SLURM_CONF=$conf"; return 0; }
    [ "$attempt" = 3 ] && fail "$why"
    log "$why (attempt $attempt of 3); starting again"
    show_logs
    stop_daemon "$dir/slurmd.pid" slurmd  # munged stays: it serves the next attempt
    stop_daemon "$dir/slurmctld.pid" slurmctld
    rm -f "$dir/slurmctld.pid" "$dir/slurmd.pid"
    sleep 1
  done
}

# Starts slurmctld and slurmd and waits for an idle node; on failure sets $why and returns 1.
launch_daemons() {
  local host=$1 i d up state
  # -c: a fresh controller each time, with no jobs recovered from an earlier run in $dir.
  sudo_if_needed /usr/sbin/slurmctld -c -f "$conf" || { why="slurmctld did not start"; return 1; }
  sudo_if_needed /usr/sbin/slurmd -f "$conf" -N "$host" || { why="slurmd did not start"; return 1; }
  # A daemon that died (a port taken by another cluster, say) must fail the start even when
  # sinfo, reaching that other cluster, reports an idle node.
  for i in $(seq 300); do
    up=1
    for d in slurmctld slurmd; do
      alive "$(pid_of "$dir/$d.pid")" $d && continue
      up=0
      if [ -f "$dir/$d.pid" ] || [ "$i" -gt 30 ]; then why="$d exited or did not start"; return 1; fi
    done
    state=$(SLURM_CONF=$conf sinfo -h -n "$host" -o %T 2>/dev/null || true)
    [ $up = 1 ] && [ "$state" = idle ] && return 0
    sleep 0.1
  done
  why="node $host not idle after 30 s (state: '${state:-none}')"
  return 1
}

case $action in start) start ;; stop) stop ;; *) usage ;; esac
