// SPDX-License-Identifier: (MIT OR GPL-2.0)
//
// The layout of socket_lb.bpf.c's map keys and values. The C# side writes the same bytes
// (src/Maille.Dataplane.Ebpf/SocketLbLayout.cs); SocketLbLayoutTests checks the sizes against this file.

#ifndef MAILLE_SOCKET_LB_H
#define MAILLE_SOCKET_LB_H

#include <linux/types.h>

#define MAILLE_MAX_NAMESPACES 65536
#define MAILLE_MAX_SERVICES 65536
#define MAILLE_MAX_BACKENDS 262144
#define MAILLE_MAX_AFFINITY 65536
#define MAILLE_MAX_REVERSE 65536

// Set when the Service port has no endpoint anywhere: connect() and sendmsg() fail with ECONNREFUSED.
#define MAILLE_SERVICE_REJECT 1
// sessionAffinity: ClientIP.
#define MAILLE_SERVICE_AFFINITY 2
// externalTrafficPolicy Cluster: a connection from outside is masqueraded to the node's address (nodeports only).
#define MAILLE_SERVICE_MASQUERADE 4

struct maille_service_key {
    __be32 address;
    __be16 port;
    __u8 protocol;
    __u8 pad;
};

struct maille_service {
    __u32 id;
    __u16 count;
    __u8 flags;
    __u8 pad;
    __u32 affinity_seconds;
};

// A nodeports entry: the Service port's external traffic from outside the node, and the address it is masqueraded to.
struct maille_external {
    struct maille_service service;
    __be32 masquerade;
};

// sessionAffinity ClientIP for connections from outside: the client's address stands for itself.
struct maille_external_affinity_key {
    __be32 client;
    __u32 service;
};

struct maille_backend_key {
    __u32 service;
    __u32 slot;
};

struct maille_backend {
    __be32 address;
    __be16 port;
    __u16 pad;
};

struct maille_member_key {
    __u32 service;
    __be32 address;
    __be16 port;
    __u16 pad;
};

struct maille_affinity_key {
    __u64 netns;
    __u32 service;
    __u32 pad;
};

struct maille_affinity {
    struct maille_backend backend;
    __u64 last_used_ns;
};

struct maille_reverse_key {
    __u64 socket;
    __be32 address;
    __be16 port;
    __u16 pad;
};

struct maille_reverse {
    __be32 address;
    __be16 port;
    __u16 pad;
};

#endif
