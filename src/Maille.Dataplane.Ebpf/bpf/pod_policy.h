// SPDX-License-Identifier: (MIT OR GPL-2.0)
//
// The layout of pod_policy.bpf.c's map keys and values. The C# side writes the same bytes
// (src/Maille.Dataplane.Ebpf/PodPolicyLayout.cs); PodPolicyStateTests checks the sizes against this file.

#ifndef MAILLE_POD_POLICY_H
#define MAILLE_POD_POLICY_H

#include <linux/types.h>

#define MAILLE_MAX_PODS 16384
#define MAILLE_MAX_CHAINS 65536
#define MAILLE_MAX_PEERS 1048576
#define MAILLE_MAX_PORTS 1048576
#define MAILLE_MAX_RULES 65536
#define MAILLE_MAX_FLOWS 262144
// 8,192 denial records of 32 bytes (24 and the ring's 8-byte header) between two reads of the node agent.
#define MAILLE_DENIAL_RING_BYTES (256 * 1024)

// What a rule does to a first packet it matches. A NetworkPolicy rule allows; a ClusterNetworkPolicy rule accepts,
// denies or passes to the next tier.
#define MAILLE_ACTION_ALLOW 1
#define MAILLE_ACTION_DENY 2
#define MAILLE_ACTION_PASS 3

// A chain's kind: a NetworkPolicy chain denies what no rule allows; a tier chain goes on to `next` (0: allowed).
#define MAILLE_CHAIN_POLICY 1
#define MAILLE_CHAIN_TIER 2

// The direction of a pod a packet is judged for (a packet leaving the pod is its egress).
#define MAILLE_INGRESS 0
#define MAILLE_EGRESS 1

// Pod address → the chain each of its directions enters first (0: not isolated, allowed).
struct maille_pod {
    __u32 ingress;
    __u32 egress;
};

struct maille_chain {
    __u32 kind;
    __u32 next;
    // The counter slot of the chain's end (a NetworkPolicy chain's denials).
    __u32 deny_slot;
    __u32 pad;
};

// LPM key: prefixlen counts 32 (the chain) + the peer address's prefix.
struct maille_peer_key {
    __u32 prefixlen;
    __u32 chain;
    __be32 address;
};

// A peer address interval of a chain: its ports segment (0: none) and the rule without ports that takes every
// protocol and port there (any_slot 0: none).
struct maille_peer {
    __u32 segment;
    __u32 any_slot;
    __u32 any_action;
    __u32 pad;
};

// LPM key: prefixlen counts 32 (the segment) + 8 (the protocol) + the destination port's prefix.
struct maille_port_key {
    __u32 prefixlen;
    __u32 segment;
    __u8 protocol;
    __u8 port[2];
    __u8 pad;
};

struct maille_port {
    __u32 slot;
    __u32 action;
};

// One counter per policy rule (and per chain end), by slot: the first packets (connections) it decided.
struct maille_counter {
    __u64 packets;
    __u64 bytes;
};

// A flow a pod's direction allowed: its first packet's addresses, ports (ICMP echo: the id as the source port of a
// request, the destination port of a reply) and protocol, and the direction of the pod that allowed it.
struct maille_flow_key {
    __be32 source;
    __be32 destination;
    __be16 source_port;
    __be16 destination_port;
    __u8 protocol;
    __u8 direction;
    __u16 pad;
};

struct maille_flow {
    __u64 last_seen_ns;
};

// A first packet a chain denied, sent to the node agent through the `denials` ring buffer for `maille observe`:
// its flow (direction: the pod's direction that denied it) and the counter slot of what decided (a chain's end, or a
// ClusterNetworkPolicy Deny rule; 0 when a chain the pod points at is missing).
struct maille_denial {
    struct maille_flow_key flow;
    __u32 slot;
    __u32 pad;
};

#endif
