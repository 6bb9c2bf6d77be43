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
#include <linux/in.h>
#include <bpf/bpf_helpers.h>

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

// (Service id, slot 0..count-1) → endpoint.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, MAILLE_MAX_BACKENDS);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, struct maille_backend_key);
    __type(value, struct maille_backend);
} backends SEC(".maps");

// (Service id, endpoint) → present: whether an affinity entry still names a current endpoint.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, MAILLE_MAX_BACKENDS);
    __uint(map_flags, BPF_F_NO_PREALLOC);
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

static __always_inline int ours(struct bpf_sock_addr *ctx)
{
    __u64 cookie = bpf_get_netns_cookie(ctx);
    return bpf_map_lookup_elem(&netns, &cookie) != NULL;
}

static __always_inline struct maille_backend *pick(struct bpf_sock_addr *ctx, const struct maille_service *service)
{
    struct maille_affinity_key affinity_key = {};
    __u64 now = 0;
    if (service->flags & MAILLE_SERVICE_AFFINITY) {
        affinity_key.netns = bpf_get_netns_cookie(ctx);
        affinity_key.service = service->id;
        now = bpf_ktime_get_ns();
        struct maille_affinity *sticky = bpf_map_lookup_elem(&affinity, &affinity_key);
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
        bpf_map_update_elem(&affinity, &affinity_key, &value, BPF_ANY);
    }

    return backend;
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
