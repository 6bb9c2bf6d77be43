// SPDX-License-Identifier: (MIT OR GPL-2.0)
//
// Maille's socket load balancer: a pod's connect() or sendmsg() to a ClusterIP:port is rewritten to one of the
// Service's endpoints before any packet exists (cgroup sock_addr hooks, as Cilium's socket LB), so ClusterIP traffic
// needs no per-packet NAT. recvmsg() and getpeername() put the ClusterIP back, so the application sees the address it
// asked for.
//
// One object is loaded per node of a lab and attached (with its siblings, BPF_F_ALLOW_MULTI through bpf_link) to the
// lab's own cgroup. A program acts only on sockets whose network namespace is in its `netns` map: that node's and its
// pods' namespaces. Everything else (the daemon's own sockets in the host namespace, other nodes) passes untouched.
//
// The maps are filled by the node agent from the engine's node plan (src/Maille.Dataplane.Ebpf/SocketLbState.cs). All
// addresses and ports are kept in network byte order, as the hook's context gives them.

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "conntrack.h"
#include "socket_lb.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

#define ECONNREFUSED 111

// Network namespaces of this node: its own and its pods'. Value unused (1).
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, MAILLE_MAX_NAMESPACES);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, __u64);
    __type(value, __u32);
} netns SEC(".maps");

// ClusterIP . port . protocol → the Service port's id, endpoint count and flags.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, MAILLE_MAX_SERVICES);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, struct maille_service_key);
    __type(value, struct maille_service);
} services SEC(".maps");

// (Service id, slot 0..count-1) → endpoint. Preallocated, as `members`: a full sync writes 10 of these per Service,
// and the kernel's insert into a preallocated hash (an element taken from a free list) costs about half of one that
// allocates (docs/benchmarks.md, "Full sync in buffers"); the price is the maps' whole size in kernel memory from the
// load on (about 20 MB per node, measured), where the other maps grow with their entries.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, MAILLE_MAX_BACKENDS);
    __type(key, struct maille_backend_key);
    __type(value, struct maille_backend);
} backends SEC(".maps");

// (Service id, endpoint) → present: whether an affinity entry still names a current endpoint. Preallocated (see backends).
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, MAILLE_MAX_BACKENDS);
    __type(key, struct maille_member_key);
    __type(value, __u32);
} members SEC(".maps");

// sessionAffinity ClientIP: (client namespace, Service id) → endpoint and last use. A pod has one address and one
// namespace, so the namespace stands for the client IP (the source address is not chosen yet at connect()).
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, MAILLE_MAX_AFFINITY);
    __type(key, struct maille_affinity_key);
    __type(value, struct maille_affinity);
} affinity SEC(".maps");

// (socket, endpoint) → the ClusterIP:port the socket asked for, for recvmsg() and getpeername().
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, MAILLE_MAX_REVERSE);
    __type(key, struct maille_reverse_key);
    __type(value, struct maille_reverse);
} reverse SEC(".maps");

// NodeIP . nodePort, LoadBalancer IP . port, externalIP . port (each . protocol) → the Service port's external
// traffic from outside the node (maille_nodeport, at tc on the node's interface): its id in backends, its count and flags
// (externalTrafficPolicy Local: this node's endpoints only, and no masquerade), and the masquerade address.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, MAILLE_MAX_SERVICES);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, struct maille_service_key);
    __type(value, struct maille_external);
} nodeports SEC(".maps");

// sessionAffinity ClientIP for connections from outside: (client address, Service id) → endpoint and last use.
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, MAILLE_MAX_AFFINITY);
    __type(key, struct maille_external_affinity_key);
    __type(value, struct maille_affinity);
} external_affinity SEC(".maps");

static __always_inline int ours(struct bpf_sock_addr *ctx)
{
    __u64 cookie = bpf_get_netns_cookie(ctx);
    return bpf_map_lookup_elem(&netns, &cookie) != NULL;
}

// An endpoint of the Service: under sessionAffinity ClientIP the one `sticky_map` holds for `sticky_key` while it is
// still an endpoint and its timeout has not passed since its last use, else (and then remembered there) one at random.
static __always_inline struct maille_backend *pick_sticky(void *sticky_map, const void *sticky_key, const struct maille_service *service)
{
    __u64 now = 0;
    if (service->flags & MAILLE_SERVICE_AFFINITY) {
        now = bpf_ktime_get_ns();
        struct maille_affinity *sticky = bpf_map_lookup_elem(sticky_map, sticky_key);
        if (sticky && now - sticky->last_used_ns < (__u64)service->affinity_seconds * 1000000000ULL) {
            struct maille_member_key member = { .service = service->id, .address = sticky->backend.address, .port = sticky->backend.port };
            __u32 *slot = bpf_map_lookup_elem(&members, &member);
            if (slot) {
                struct maille_backend_key key = { .service = service->id, .slot = *slot };
                struct maille_backend *backend = bpf_map_lookup_elem(&backends, &key);
                if (backend) {
                    sticky->last_used_ns = now;
                    return backend;
                }
            }
        }
    }

    struct maille_backend_key key = { .service = service->id, .slot = bpf_get_prandom_u32() % service->count };
    struct maille_backend *backend = bpf_map_lookup_elem(&backends, &key);
    if (backend && (service->flags & MAILLE_SERVICE_AFFINITY)) {
        struct maille_affinity value = { .backend = *backend, .last_used_ns = now };
        bpf_map_update_elem(sticky_map, sticky_key, &value, BPF_ANY);
    }

    return backend;
}

static __always_inline struct maille_backend *pick(struct bpf_sock_addr *ctx, const struct maille_service *service)
{
    struct maille_affinity_key affinity_key = { .netns = bpf_get_netns_cookie(ctx), .service = service->id };
    return pick_sticky(&affinity, &affinity_key, service);
}

// connect4 and sendmsg4: 1 lets the call go on (rewritten or not); 0 fails it with the errno set by bpf_set_retval.
static __always_inline int translate(struct bpf_sock_addr *ctx)
{
    if (!ours(ctx) || (ctx->protocol != IPPROTO_TCP && ctx->protocol != IPPROTO_UDP)) {
        return 1;
    }

    struct maille_service_key key = { .address = ctx->user_ip4, .port = (__u16)ctx->user_port, .protocol = (__u8)ctx->protocol };
    struct maille_service *service = bpf_map_lookup_elem(&services, &key);
    if (!service) {
        return 1;
    }

    if (service->count == 0) {
        if (service->flags & MAILLE_SERVICE_REJECT) {
            // No endpoint anywhere: the caller is told at once, as the nftables proxy's reject does.
            bpf_set_retval(-ECONNREFUSED);
            return 0;
        }
        // internalTrafficPolicy Local and no endpoint on this node: left to the packet path, whose Service table
        // drops ClusterIP traffic that was not translated here.
        return 1;
    }

    struct maille_backend *backend = pick(ctx, service);
    if (!backend) {
        return 1;
    }

    struct maille_reverse_key reverse_key = { .socket = bpf_get_socket_cookie(ctx), .address = backend->address, .port = backend->port };
    struct maille_reverse original = { .address = key.address, .port = key.port };
    bpf_map_update_elem(&reverse, &reverse_key, &original, BPF_ANY);
    ctx->user_ip4 = backend->address;
    ctx->user_port = backend->port;
    return 1;
}

// recvmsg4 and getpeername4: an endpoint's address becomes the ClusterIP the socket sent to.
static __always_inline int untranslate(struct bpf_sock_addr *ctx)
{
    if (!ours(ctx)) {
        return 1;
    }

    struct maille_reverse_key key = { .socket = bpf_get_socket_cookie(ctx), .address = ctx->user_ip4, .port = (__u16)ctx->user_port };
    struct maille_reverse *original = bpf_map_lookup_elem(&reverse, &key);
    if (original) {
        ctx->user_ip4 = original->address;
        ctx->user_port = original->port;
    }

    return 1;
}

SEC("cgroup/connect4")
int maille_connect4(struct bpf_sock_addr *ctx)
{
    return translate(ctx);
}

SEC("cgroup/sendmsg4")
int maille_sendmsg4(struct bpf_sock_addr *ctx)
{
    return translate(ctx);
}

SEC("cgroup/recvmsg4")
int maille_recvmsg4(struct bpf_sock_addr *ctx)
{
    return untranslate(ctx);
}

SEC("cgroup/getpeername4")
int maille_getpeername4(struct bpf_sock_addr *ctx)
{
    return untranslate(ctx);
}


// ---- NodePort, LoadBalancer IPs and externalIPs from outside the node: tc ingress on the node's interface ----
//
// The program decides (which endpoint, whether to masquerade) and the kernel's conntrack translates: the first packet of
// a connection makes a conntrack entry with its NAT (bpf_skb_ct_alloc, bpf_ct_set_nat_info for the destination and the
// source, bpf_ct_insert_entry), and the packet goes on into the stack, where nf_nat rewrites it, and every later packet
// and every reply, wherever the reply comes back (a local pod's veth, another node). A packet of a connection conntrack
// already knows passes untouched. Why conntrack and not a NAT of our own: docs/ebpf-dataplane.md. The kfuncs: conntrack.h.

#define MAILLE_CT_NEW_TIMEOUT_MS 30000

static __always_inline struct maille_backend *pick_external(__be32 client, const struct maille_service *service)
{
    struct maille_external_affinity_key affinity_key = { .client = client, .service = service->id };
    return pick_sticky(&external_affinity, &affinity_key, service);
}

SEC("tc")
int maille_nodeport(struct __sk_buff *skb)
{
    void *data = (void *)(long)skb->data;
    void *data_end = (void *)(long)skb->data_end;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP)) {
        return TC_ACT_OK;
    }

    struct iphdr *ip = (void *)(eth + 1);
    // No options and no fragments: what the lab's clients send. Anything else is left to nftables.
    if ((void *)(ip + 1) > data_end || ip->ihl != 5 || (ip->frag_off & bpf_htons(0x3fff)) != 0
        || (ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP)) {
        return TC_ACT_OK;
    }

    __be16 *ports = (void *)(ip + 1);
    if ((void *)(ports + 2) > data_end) {
        return TC_ACT_OK;
    }

    struct maille_service_key key = { .address = ip->daddr, .port = ports[1], .protocol = ip->protocol };
    struct maille_external *external = bpf_map_lookup_elem(&nodeports, &key);
    if (!external) {
        return TC_ACT_OK;
    }

    struct bpf_sock_tuple tuple = {};
    tuple.ipv4.saddr = ip->saddr;
    tuple.ipv4.daddr = ip->daddr;
    tuple.ipv4.sport = ports[0];
    tuple.ipv4.dport = ports[1];
    struct maille_ct_opts opts = { .netns_id = -1, .l4proto = ip->protocol };
    struct nf_conn *known = bpf_skb_ct_lookup(skb, &tuple, sizeof(tuple.ipv4), &opts, sizeof(opts));
    if (known) {
        // conntrack translates the connection's later packets as it translated its first.
        bpf_ct_release(known);
        return TC_ACT_OK;
    }

    struct maille_service service = external->service;
    if (service.count == 0) {
        // No endpoint anywhere: left to nftables, which answers as the nftables mode does (TCP reset, ICMP port
        // unreachable). externalTrafficPolicy Local with no endpoint on this node: dropped, as kube-proxy does.
        return (service.flags & MAILLE_SERVICE_REJECT) ? TC_ACT_OK : TC_ACT_SHOT;
    }

    struct maille_backend *backend = pick_external(ip->saddr, &service);
    if (!backend) {
        return TC_ACT_OK;
    }

    struct maille_backend chosen = *backend;
    __be32 client = ip->saddr;
    struct maille_ct_opts alloc_opts = { .netns_id = -1, .l4proto = key.protocol };
    struct nf_conn___init *fresh = bpf_skb_ct_alloc(skb, &tuple, sizeof(tuple.ipv4), &alloc_opts, sizeof(alloc_opts));
    if (!fresh) {
        return TC_ACT_OK;
    }

    union maille_nf_inet_addr address = {};
    address.ip = chosen.address;
    bpf_ct_set_nat_info(fresh, &address, bpf_ntohs(chosen.port), MAILLE_NAT_MANIP_DST);
    // The source: masqueraded to the node's address (conntrack picks a free port), or kept (a null binding, so that
    // nftables' postrouting has nothing left to decide for this connection).
    address.ip = (service.flags & MAILLE_SERVICE_MASQUERADE) ? external->masquerade : client;
    bpf_ct_set_nat_info(fresh, &address, 0, MAILLE_NAT_MANIP_SRC);
    bpf_ct_set_timeout(fresh, MAILLE_CT_NEW_TIMEOUT_MS);
    struct nf_conn *inserted = bpf_ct_insert_entry(fresh);
    if (inserted) {
        bpf_ct_release(inserted);
    }

    return TC_ACT_OK;
}
