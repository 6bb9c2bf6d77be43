// SPDX-License-Identifier: (MIT OR GPL-2.0)
//
// The kernel's conntrack as tc programs reach it: the kfuncs (bpf_skb_ct_lookup and the ones that make an entry) and
// just enough of struct nf_conn to read a connection's original tuple. Used by socket_lb.bpf.c (maille_nodeport makes
// the entries that translate NodePort traffic) and pod_policy.bpf.c (maille_ingress reads who a masqueraded connection
// came from).
//
// No vmlinux.h: the programs otherwise need only UAPI headers. Libbpf checks a kfunc's prototype against the kernel's,
// which wants struct nf_conn and struct nf_conn___init complete (a forward declaration is refused); what the program
// reads of nf_conn is relocated by CO-RE (preserve_access_index) against the running kernel's BTF, so only the path to
// the fields read is declared, by the kernel's field names, and its offsets are the kernel's whatever the layout here.

#ifndef MAILLE_CONNTRACK_H
#define MAILLE_CONNTRACK_H

#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

union maille_nf_inet_addr {
    __u32 all[4];
    __be32 ip;
    __be32 ip6[4];
};

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

// struct nf_conntrack_man: one end of a tuple (the address, the port or ICMP id).
struct maille_ct_man {
    union maille_nf_inet_addr u3;
    union {
        __be16 all;
    } u;
};

// struct nf_conntrack_tuple: only its source end is read.
struct maille_ct_tuple {
    struct maille_ct_man src;
};

// struct nf_conntrack_tuple_hash.
struct maille_ct_tuple_hash {
    struct maille_ct_tuple tuple;
};

// tuplehash[IP_CT_DIR_ORIGINAL] is the connection as its first packet came, before any NAT; tuplehash[IP_CT_DIR_REPLY]
// is what its replies carry.
struct nf_conn {
    struct maille_ct_tuple_hash tuplehash[2];
};

#pragma clang attribute pop

struct nf_conn___init {
    int opaque;
};

#define MAILLE_CT_DIR_ORIGINAL 0
#define MAILLE_CT_DIR_REPLY 1

// The kernel's struct bpf_ct_opts (16 bytes since 6.x, with the zone). `dir` is set by a lookup: the direction of the
// connection whose tuple matched.
struct maille_ct_opts {
    __s32 netns_id;
    __s32 error;
    __u8 l4proto;
    __u8 dir;
    __u16 ct_zone_id;
    __u8 ct_zone_dir;
    __u8 reserved[3];
};

enum maille_nat_manip_type {
    MAILLE_NAT_MANIP_SRC = 0,
    MAILLE_NAT_MANIP_DST = 1,
};

extern struct nf_conn *bpf_skb_ct_lookup(struct __sk_buff *, struct bpf_sock_tuple *, __u32, struct maille_ct_opts *, __u32) __ksym;
extern struct nf_conn___init *bpf_skb_ct_alloc(struct __sk_buff *, struct bpf_sock_tuple *, __u32, struct maille_ct_opts *, __u32) __ksym;
extern struct nf_conn *bpf_ct_insert_entry(struct nf_conn___init *) __ksym;
extern void bpf_ct_release(struct nf_conn *) __ksym;
extern void bpf_ct_set_timeout(struct nf_conn___init *, __u32) __ksym;
extern int bpf_ct_set_nat_info(struct nf_conn___init *, union maille_nf_inet_addr *, int, enum maille_nat_manip_type) __ksym;

#endif
