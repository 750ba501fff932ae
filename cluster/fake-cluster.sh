#!/usr/bin/env bash
# A fake multi-host cluster on one Linux machine: network namespaces as hosts, joined by a bridge
# on a private subnet that exists only inside this machine. Needs root and `ip` (iproute2).
#
#   cluster/fake-cluster.sh up [N]        bridge + N namespaces (default 2): lightning-h1..hN
#   cluster/fake-cluster.sh down          removes every namespace, link and bridge `up` made
#   cluster/fake-cluster.sh status        lists them
#   cluster/fake-cluster.sh run -n 4 [launch.sh options] -- fit [flags...]
#                                         cluster/launch.sh across the namespaces (hostfiles/fake-cluster);
#                                         launch.sh gives mpirun its --timeout (default one day)
#
# Layout (defaults; FAKE_CLUSTER_SUBNET=10.77.0 changes the /24): the bridge lightning-br holds
# 10.77.0.1 (mpirun runs in the root namespace and its daemons call back to it); host i is the
# namespace lightning-h<i> with eth0 = 10.77.0.(10+i)/24, joined to the bridge by the veth pair
# lgt-h<i> <-> eth0. No route leaves the /24, so traffic stays between these namespaces.
#
# Open MPI starts its daemons through cluster/netns-agent.sh (plm_rsh_agent) — `ip netns exec
# <host> sh -c ...` in place of ssh — and is told to use only the bridge subnet for both its
# out-of-band channel and MPI traffic (daemons started from mpirun itself, no tree spawn), with `btl tcp,self` so ranks on different "hosts" never
# share memory (ranks in one namespace use TCP too, as across real hosts).
set -euo pipefail

subnet="${FAKE_CLUSTER_SUBNET:-10.77.0}"
bridge=lightning-br
state_dir=/run/swift-lightning-fake-cluster
state="$state_dir/hosts"
here=$(cd "$(dirname "$0")" && pwd)

need_root() {
    [ "$(id -u)" = 0 ] || { echo "fake-cluster.sh: needs root (network namespaces)" >&2; exit 1; }
    command -v ip >/dev/null || { echo "fake-cluster.sh: needs ip (apt-get install iproute2)" >&2; exit 1; }
}

up() {
    local count="${1:-2}"
    need_root
    if ip link show "$bridge" >/dev/null 2>&1; then
        echo "fake-cluster.sh: $bridge exists already (run down first)" >&2; exit 1
    fi
    mkdir -p "$state_dir"
    : > "$state"
    ip link add "$bridge" type bridge
    echo "bridge $bridge" >> "$state"
    ip addr add "$subnet.1/24" dev "$bridge"
    ip link set "$bridge" up
    echo "fake-cluster.sh: bridge $bridge $subnet.1/24"
    for ((i = 1; i <= count; i++)); do
        local ns="lightning-h$i" veth="lgt-h$i" address="$subnet.$((10 + i))"
        ip netns add "$ns"
        echo "host $ns $address" >> "$state"
        ip link add "$veth" type veth peer name eth0 netns "$ns"
        ip link set "$veth" master "$bridge" up
        ip -n "$ns" addr add "$address/24" dev eth0
        ip -n "$ns" link set eth0 up
        ip -n "$ns" link set lo up
        echo "fake-cluster.sh: host $ns $address (veth $veth)"
    done
}

down() {
    need_root
    local removed=0
    # Everything named as `up` names it, listed in the state file or not (a crashed `up`).
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^lightning-h[0-9]+$' || true); do
        ip netns del "$ns" && echo "fake-cluster.sh: removed namespace $ns" && removed=1
    done
    for link in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -E '^lgt-h[0-9]+$' || true); do
        ip link del "$link" 2>/dev/null && echo "fake-cluster.sh: removed link $link" && removed=1
    done
    if ip link show "$bridge" >/dev/null 2>&1; then
        ip link del "$bridge" && echo "fake-cluster.sh: removed bridge $bridge" && removed=1
    fi
    rm -f "$state"
    [ "$removed" = 1 ] || echo "fake-cluster.sh: nothing to remove"
}

status() {
    ip -br addr show "$bridge" 2>/dev/null || echo "no bridge $bridge"
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^lightning-h[0-9]+$' || true); do
        echo "$ns: $(ip -n "$ns" -br -4 addr show eth0 2>/dev/null)"
    done
}

run() {
    need_root
    [ -s "$state" ] || { echo "fake-cluster.sh: no fake cluster (run up first)" >&2; exit 1; }
    local hostfile="${FAKE_CLUSTER_HOSTFILE:-$here/../hostfiles/fake-cluster}"
    # Open MPI 4.1's daemon sometimes segfaults writing its hwloc topology into shared memory
    # (hwloc_shmem_topology_write, 3 launches in 40 here), after which mpirun waits for it until its
    # --timeout: `rtc ^hwloc` skips that component (0 failures in 50). Daemons stay attached, so
    # anything they print is seen instead of lost with a daemonized process.
    LAUNCH_MPI_ARGS="--leave-session-attached ${LAUNCH_MPI_ARGS:-}" exec "$here/launch.sh" --hostfile "$hostfile" \
        --mca rtc ^hwloc \
        --mca plm_rsh_agent "$here/netns-agent.sh" \
        --mca plm_rsh_no_tree_spawn 1 \
        --mca btl tcp,self \
        --mca btl_tcp_if_include "$subnet.0/24" \
        --mca oob_tcp_if_include "$subnet.0/24" \
        "$@"
}

case "${1:-}" in
    up) shift; up "$@" ;;
    down) down ;;
    status) status ;;
    run) shift; run "$@" ;;
    *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
