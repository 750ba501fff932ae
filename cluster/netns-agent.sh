#!/usr/bin/env bash
# Open MPI's remote-start agent for the fake cluster (--mca plm_rsh_agent cluster/netns-agent.sh):
# called as ssh would be, `netns-agent.sh [options] HOST COMMAND...`, it runs COMMAND (Open MPI's
# daemon, orted) in HOST's network namespace instead of over ssh. HOST is a namespace name
# (lightning-h2) or its address (10.77.0.12), mapped through the state file fake-cluster.sh up wrote.
set -euo pipefail
while [ $# -gt 0 ] && [[ "$1" == -* ]]; do shift; done   # ssh-style options (-x, -q, ...) mean nothing here
host="${1:?netns-agent.sh: no host}"; shift
state=/run/swift-lightning-fake-cluster/hosts
ns=$(awk -v h="$host" '$1 == "host" && ($2 == h || $3 == h) {print $2; exit}' "$state" 2>/dev/null || true)
[ -n "$ns" ] || { echo "netns-agent.sh: $host is not a host of the fake cluster ($state)" >&2; exit 255; }
# Like ssh, hand the words to a shell (Open MPI sends "VAR=...; export VAR; orted ...").
exec ip netns exec "$ns" /bin/sh -c "$*"
