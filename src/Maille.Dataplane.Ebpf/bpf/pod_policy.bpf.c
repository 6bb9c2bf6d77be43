// SPDX-License-Identifier: (MIT OR GPL-2.0)
//
// Maille's NetworkPolicy at tc: two programs on the node side of each pod's veth. `maille_egress` runs on the
// veth's ingress (a packet leaving the pod: the pod's egress), `maille_ingress` on its egress (a packet to the pod:
// its ingress). Both judge a connection's first packet with the chains the engine's node plan compiled
// (NodePolicyPlan, the plan the nftables enforcer renders), and let later packets and replies of an allowed connection
// through an LRU map of flows of their own.
//
// A chain is folded (the engine's ChainFold, as the nftables renderer folds long chains) into two LPM lookups: the
// peer address within the chain (`peers`) gives an interval's ports segment and its rule without ports; the
// (segment, protocol, destination port) within the segment (`ports`) gives the first rule with ports that matches.
// Each entry names the counter slot of the rule that decides, and what that rule does (allow; a ClusterNetworkPolicy
// tier's accept, deny or pass). A NetworkPolicy chain denies what no rule allows; a tier chain passes it on.
//
// A connection conntrack masqueraded to the node's address before it reached a pod of the node (a NodePort,
// LoadBalancer IP or externalIP with externalTrafficPolicy Cluster whose endpoint is here: maille_nodeport's SNAT, or
// nftables' masquerade for a LoadBalancer IP with source ranges) is judged from the client its conntrack entry names,
// as nftables' forward hook judges it before postrouting masquerades it, and as the engine's trace does.
//
// The maps are filled by the node agent from the plan (src/Maille.Dataplane.Ebpf/PodPolicyState.cs).

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "conntrack.h"
#include "pod_policy.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

// A flow not seen for this long is forgotten, as conntrack forgets an idle UDP flow (120 s once answered).
#define MAILLE_FLOW_TIMEOUT_NS (120ULL * 1000000000ULL)
// Set on the ICMP error a program made (reject): the programs on its way let it through.
#define MAILLE_REJECT_MARK 0x6d61696c
// ICMP destination unreachable, communication administratively prohibited: what nftables' reject answers.
#define ICMP_PKT_FILTERED 13
// Admin → NetworkPolicy → Baseline: a packet walks at most three chains.
#define MAILLE_MAX_WALK 3

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, MAILLE_MAX_PODS);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, __be32);
    __type(value, struct maille_pod);
} pods SEC(".maps");

// The node's own addresses: traffic between a pod and its node never crosses the forward hook, so it is never judged.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 64);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, __be32);
    __type(value, __u32);
} nodes SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, MAILLE_MAX_CHAINS);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, __u32);
    __type(value, struct maille_chain);
} chains SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);
    __uint(max_entries, MAILLE_MAX_PEERS);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, struct maille_peer_key);
    __type(value, struct maille_peer);
} peers SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);
    __uint(max_entries, MAILLE_MAX_PORTS);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, struct maille_port_key);
    __type(value, struct maille_port);
} ports SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, MAILLE_MAX_RULES);
    __type(key, __u32);
    __type(value, struct maille_counter);
} counters SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, MAILLE_MAX_FLOWS);
    __type(key, struct maille_flow_key);
    __type(value, struct maille_flow);
} flows SEC(".maps");

// Every denied first packet, for `maille observe` (nftables' deny rules log to nfnetlink_log; this is the ebpf
// mode's log). Not sampled, as nftables' log is not: what the ring cannot take is counted in `denials_lost`.
struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, MAILLE_DENIAL_RING_BYTES);
} denials SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} denials_lost SEC(".maps");

// ICMP's header (linux/icmp.h pulls in libc's headers, which a BPF target does not have).
#define ICMP_ECHOREPLY 0
#define ICMP_DEST_UNREACH 3
#define ICMP_ECHO 8
#define ICMP_TIME_EXCEEDED 11

struct icmp_header {
    __u8 type;
    __u8 code;
    __sum16 checksum;
    __be16 id;
    __be16 sequence;
};

struct packet {
    struct maille_flow_key flow;
    // The ports are real (TCP, UDP, SCTP with a whole header): the `ports` lookup applies.
    int has_ports;
    // A TCP SYN without ACK: always a new connection, even on the tuple of an old one.
    int syn;
    // An ICMP error, and the flow of the packet it is about (as that packet went).
    int icmp_error;
    struct maille_flow_key inner;
};

static __always_inline void count(__u32 slot, __u32 length)
{
    struct maille_counter *counter = bpf_map_lookup_elem(&counters, &slot);
    if (counter && slot != 0) {
        __sync_fetch_and_add(&counter->packets, 1);
        __sync_fetch_and_add(&counter->bytes, length);
    }
}

// Reads the transport ports at `offset` (TCP, UDP and SCTP all start with source then destination port).
static __always_inline int read_ports(struct __sk_buff *skb, __u32 offset, __be16 *source, __be16 *destination)
{
    __be16 both[2];
    if (bpf_skb_load_bytes(skb, offset, both, sizeof(both)) < 0)
        return -1;
    *source = both[0];
    *destination = both[1];
    return 0;
}

static __always_inline int parse(struct __sk_buff *skb, struct packet *packet)
{
    struct iphdr ip;
    if (skb->protocol != bpf_htons(ETH_P_IP) || bpf_skb_load_bytes(skb, ETH_HLEN, &ip, sizeof(ip)) < 0)
        return -1;
    __u32 l4 = ETH_HLEN + ip.ihl * 4;
    packet->flow.source = ip.saddr;
    packet->flow.destination = ip.daddr;
    packet->flow.protocol = ip.protocol;
    // Only a first fragment holds the ports.
    int first_fragment = (ip.frag_off & bpf_htons(0x1fff)) == 0;
    if (!first_fragment)
        return 0;
    if (ip.protocol == IPPROTO_TCP || ip.protocol == IPPROTO_UDP || ip.protocol == IPPROTO_SCTP) {
        if (read_ports(skb, l4, &packet->flow.source_port, &packet->flow.destination_port) == 0)
            packet->has_ports = 1;
        if (ip.protocol == IPPROTO_TCP) {
            __u8 flags;
            if (bpf_skb_load_bytes(skb, l4 + 13, &flags, 1) == 0)
                packet->syn = (flags & 0x12) == 0x02;
        }
    } else if (ip.protocol == IPPROTO_ICMP) {
        struct icmp_header icmp;
        if (bpf_skb_load_bytes(skb, l4, &icmp, sizeof(icmp)) < 0)
            return 0;
        if (icmp.type == ICMP_ECHO) {
            packet->flow.source_port = icmp.id;
        } else if (icmp.type == ICMP_ECHOREPLY) {
            packet->flow.destination_port = icmp.id;
        } else if (icmp.type == ICMP_DEST_UNREACH || icmp.type == ICMP_TIME_EXCEEDED) {
            struct iphdr inner;
            __u32 at = l4 + sizeof(icmp);
            if (bpf_skb_load_bytes(skb, at, &inner, sizeof(inner)) < 0)
                return 0;
            packet->icmp_error = 1;
            packet->inner.source = inner.saddr;
            packet->inner.destination = inner.daddr;
            packet->inner.protocol = inner.protocol;
            if (inner.protocol == IPPROTO_TCP || inner.protocol == IPPROTO_UDP || inner.protocol == IPPROTO_SCTP)
                read_ports(skb, at + inner.ihl * 4, &packet->inner.source_port, &packet->inner.destination_port);
        }
    }
    return 0;
}

// Who a first packet to a pod is judged from: its source, or the client a masqueraded connection came from.
struct peer {
    __be32 address;
    __be16 port;
};

// For a packet forwarded to a pod from the node's own address: the client its connection came from when conntrack
// masqueraded it (the entry's original source differs from the packet's), 1; 0 when the node itself is the peer.
// The packet's tuple reversed is the entry's reply tuple, NATed or not.
static __always_inline int masqueraded_client(struct __sk_buff *skb, struct packet *packet, struct peer *client)
{
    if (!packet->has_ports || (packet->flow.protocol != IPPROTO_TCP && packet->flow.protocol != IPPROTO_UDP))
        return 0;
    struct bpf_sock_tuple tuple = {};
    tuple.ipv4.saddr = packet->flow.destination;
    tuple.ipv4.daddr = packet->flow.source;
    tuple.ipv4.sport = packet->flow.destination_port;
    tuple.ipv4.dport = packet->flow.source_port;
    struct maille_ct_opts opts = { .netns_id = -1, .l4proto = packet->flow.protocol };
    struct nf_conn *connection = bpf_skb_ct_lookup(skb, &tuple, sizeof(tuple.ipv4), &opts, sizeof(opts));
    if (!connection)
        return 0;
    __be32 original = connection->tuplehash[MAILLE_CT_DIR_ORIGINAL].tuple.src.u3.ip;
    __be16 original_port = connection->tuplehash[MAILLE_CT_DIR_ORIGINAL].tuple.src.u.all;
    bpf_ct_release(connection);
    if (opts.dir != MAILLE_CT_DIR_REPLY || original == packet->flow.source)
        return 0;
    client->address = original;
    client->port = original_port;
    return 1;
}

static __always_inline int fresh(struct maille_flow_key *key, __u64 now)
{
    struct maille_flow *flow = bpf_map_lookup_elem(&flows, key);
    if (!flow || now - flow->last_seen_ns > MAILLE_FLOW_TIMEOUT_NS)
        return 0;
    flow->last_seen_ns = now;
    return 1;
}

// A packet of a flow this pod's direction allowed before, a reply of one the other direction allowed, or an ICMP
// error about one: conntrack's established and related.
static __always_inline int established(struct packet *packet, __u8 direction, __u64 now)
{
    struct maille_flow_key key = packet->flow;
    key.direction = direction;
    if (!packet->syn && fresh(&key, now))
        return 1;
    struct maille_flow_key reply = {
        .source = packet->flow.destination,
        .destination = packet->flow.source,
        .source_port = packet->flow.destination_port,
        .destination_port = packet->flow.source_port,
        .protocol = packet->flow.protocol,
        .direction = direction ^ 1,
    };
    if (!packet->syn && fresh(&reply, now))
        return 1;
    if (packet->icmp_error) {
        struct maille_flow_key about = packet->inner;
        about.direction = direction ^ 1;
        if (fresh(&about, now))
            return 1;
    }
    return 0;
}

// The rule of `chain` that matches a first packet from (ingress) or to (egress) `peer`: its action, 0 when none.
static __always_inline __u32 lookup(__u32 chain, struct packet *packet, __be32 peer, __u32 *slot)
{
    struct maille_peer_key peer_key = { .prefixlen = 64, .chain = chain, .address = peer };
    struct maille_peer *interval = bpf_map_lookup_elem(&peers, &peer_key);
    if (!interval)
        return 0;
    if (interval->segment != 0 && packet->has_ports) {
        struct maille_port_key port_key = {
            .prefixlen = 56,
            .segment = interval->segment,
            .protocol = packet->flow.protocol,
        };
        __builtin_memcpy(port_key.port, &packet->flow.destination_port, 2);
        struct maille_port *port = bpf_map_lookup_elem(&ports, &port_key);
        if (port) {
            *slot = port->slot;
            return port->action;
        }
    }
    if (interval->any_slot != 0) {
        *slot = interval->any_slot;
        return interval->any_action;
    }
    return 0;
}

// Walks the pod's chains for a first packet (Admin tier → NetworkPolicy → Baseline tier): 1 allowed, 0 denied;
// `decided` is the counter slot of what denied it.
static __always_inline int judge(__u32 chain, struct packet *packet, __be32 peer, __u32 length, __u32 *decided)
{
    for (int walked = 0; walked < MAILLE_MAX_WALK; walked++) {
        if (chain == 0)
            return 1;
        struct maille_chain *current = bpf_map_lookup_elem(&chains, &chain);
        // A pod pointing at a chain that is not (yet) there: the node agent writes chains before pods, so this is
        // drift; deny, as a chain that decides nothing would.
        if (!current)
            return 0;
        __u32 slot = 0;
        __u32 action = lookup(chain, packet, peer, &slot);
        if (action == MAILLE_ACTION_ALLOW) {
            count(slot, length);
            return 1;
        }
        if (action == MAILLE_ACTION_DENY) {
            count(slot, length);
            *decided = slot;
            return 0;
        }
        if (action == MAILLE_ACTION_PASS)
            count(slot, length);
        if (current->kind == MAILLE_CHAIN_POLICY) {
            count(current->deny_slot, length);
            *decided = current->deny_slot;
            return 0;
        }
        chain = current->next;
    }
    return chain == 0;
}

// Tells the node agent about a denied first packet; counts it as lost when the ring is full.
static __always_inline void report(struct packet *packet, __u8 direction, __u32 slot, struct peer *judged)
{
    struct maille_denial denial = { .flow = packet->flow, .slot = slot };
    denial.flow.direction = direction;
    // A masqueraded connection is reported from its client, as nftables logs it before masquerade.
    if (direction == MAILLE_INGRESS) {
        denial.flow.source = judged->address;
        denial.flow.source_port = judged->port;
    }
    if (bpf_ringbuf_output(&denials, &denial, sizeof(denial), 0) < 0) {
        __u32 zero = 0;
        __u64 *lost = bpf_map_lookup_elem(&denials_lost, &zero);
        if (lost)
            __sync_fetch_and_add(lost, 1);
    }
}

static __always_inline __u16 fold(__s64 sum)
{
    __u32 folded = (__u32)sum;
    folded = (folded & 0xffff) + (folded >> 16);
    folded = (folded & 0xffff) + (folded >> 16);
    return (__u16)~folded;
}

// Turns a denied packet into the ICMP admin-prohibited error nftables' reject would send, from the address it was
// sent to, and sends it back toward its source: out of the pod's veth (a packet the pod sent), or into the node as if
// the pod had answered (a packet to the pod), whence it is routed to the client like any answer. An ICMP packet, a
// fragment or a header with options is dropped instead.
static __always_inline int reject(struct __sk_buff *skb, __u8 direction)
{
    struct ethhdr eth;
    struct {
        struct iphdr ip;
        __u8 transport[8];
    } quoted;
    if (bpf_skb_load_bytes(skb, 0, &eth, sizeof(eth)) < 0 || bpf_skb_load_bytes(skb, ETH_HLEN, &quoted, sizeof(quoted)) < 0)
        return TC_ACT_SHOT;
    if (quoted.ip.ihl != 5 || quoted.ip.protocol == IPPROTO_ICMP || (quoted.ip.frag_off & bpf_htons(0x1fff)) != 0)
        return TC_ACT_SHOT;
    struct {
        struct iphdr ip;
        struct icmp_header icmp;
        __u8 quoted[28];
    } reply = {};
    reply.ip.version = 4;
    reply.ip.ihl = 5;
    reply.ip.tos = 0xc0;
    reply.ip.tot_len = bpf_htons(sizeof(reply));
    reply.ip.ttl = 64;
    reply.ip.protocol = IPPROTO_ICMP;
    reply.ip.saddr = quoted.ip.daddr;
    reply.ip.daddr = quoted.ip.saddr;
    reply.icmp.type = ICMP_DEST_UNREACH;
    reply.icmp.code = ICMP_PKT_FILTERED;
    __builtin_memcpy(reply.quoted, &quoted, sizeof(reply.quoted));
    reply.ip.check = fold(bpf_csum_diff(0, 0, (__be32 *)&reply.ip, sizeof(reply.ip), 0));
    reply.icmp.checksum = fold(bpf_csum_diff(0, 0, (__be32 *)&reply.icmp, sizeof(reply.icmp) + sizeof(reply.quoted), 0));
    struct ethhdr back = { .h_proto = eth.h_proto };
    __builtin_memcpy(back.h_dest, eth.h_source, ETH_ALEN);
    __builtin_memcpy(back.h_source, eth.h_dest, ETH_ALEN);
    if (bpf_skb_change_tail(skb, ETH_HLEN + sizeof(reply), 0) < 0
        || bpf_skb_store_bytes(skb, 0, &back, sizeof(back), 0) < 0
        || bpf_skb_store_bytes(skb, ETH_HLEN, &reply, sizeof(reply), 0) < 0)
        return TC_ACT_SHOT;
    skb->mark = MAILLE_REJECT_MARK;
    return bpf_redirect(skb->ifindex, direction == MAILLE_EGRESS ? 0 : BPF_F_INGRESS);
}

static __always_inline int decide(struct __sk_buff *skb, __u8 direction)
{
    if (skb->mark == MAILLE_REJECT_MARK)
        return TC_ACT_OK;
    struct packet packet = {};
    if (parse(skb, &packet) < 0)
        return TC_ACT_OK;
    __be32 local = direction == MAILLE_EGRESS ? packet.flow.source : packet.flow.destination;
    struct peer peer = direction == MAILLE_EGRESS
        ? (struct peer) { .address = packet.flow.destination, .port = packet.flow.destination_port }
        : (struct peer) { .address = packet.flow.source, .port = packet.flow.source_port };
    struct maille_pod *pod = bpf_map_lookup_elem(&pods, &local);
    // Not one of this node's pods (an address the pod should not use): nothing to judge, as nftables' pod maps.
    if (!pod)
        return TC_ACT_OK;
    // A pod and itself are never judged, nor a pod and its own node. The node's own packets to the pod (probes) were
    // made on the node (no ingress interface).
    if (peer.address == local || (direction == MAILLE_INGRESS && skb->ingress_ifindex == 0))
        return TC_ACT_OK;
    int from_node = bpf_map_lookup_elem(&nodes, &peer.address) != NULL;
    if (from_node && direction == MAILLE_EGRESS)
        return TC_ACT_OK;
    __u64 now = bpf_ktime_get_ns();
    if (established(&packet, direction, now))
        return TC_ACT_OK;
    // Forwarded to the pod from the node's address: a connection conntrack masqueraded is judged from its client
    // (unless that is the node, or the pod, itself); anything else is the node's own.
    if (from_node && (!masqueraded_client(skb, &packet, &peer) || peer.address == local || bpf_map_lookup_elem(&nodes, &peer.address)))
        return TC_ACT_OK;
    __u32 chain = direction == MAILLE_EGRESS ? pod->egress : pod->ingress;
    __u32 decided = 0;
    if (!judge(chain, &packet, peer.address, skb->len, &decided)) {
        report(&packet, direction, decided, &peer);
        return reject(skb, direction);
    }
    struct maille_flow_key key = packet.flow;
    key.direction = direction;
    struct maille_flow flow = { .last_seen_ns = now };
    bpf_map_update_elem(&flows, &key, &flow, BPF_ANY);
    return TC_ACT_OK;
}

// On the node side's ingress: a packet the pod sent.
SEC("tc")
int maille_egress(struct __sk_buff *skb)
{
    return decide(skb, MAILLE_EGRESS);
}

// On the node side's egress: a packet to the pod.
SEC("tc")
int maille_ingress(struct __sk_buff *skb)
{
    return decide(skb, MAILLE_INGRESS);
}
