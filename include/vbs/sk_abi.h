/* SPDX-License-Identifier: MIT */
/*
 * Secure kernel service ABI, version 1 (docs/abi.md "Secure kernel
 * services (VTL1)"). VTL0 reaches it with the VTL_CALL hypercall
 * (include/vbs/hypercall.h, usually through vbs.ko); sk/services/dispatch.c
 * implements the parsing and the services.
 *
 * A request is one 0x60-byte block, little-endian, fields at the offsets
 * below. Buffers are described by guest-physical address and length; a
 * length of 0 requires an address of 0. The secure kernel writes back
 * only status (0x14) and out_len (0x48), and out_len bytes at out.gpa.
 */
#ifndef VBS_SK_ABI_H
#define VBS_SK_ABI_H

#include <stdint.h>

#define VBS_SK_ABI_VERSION 1u
#define VBS_SK_REQ_MAGIC 0x52534b56u   /* "VSKR" little-endian */
#define VBS_SK_REQ_SIZE 0x60u
#define VBS_SK_BUF_MAX 0x10000u        /* 64 KiB per buffer, at most */

struct vbs_sk_buf {
	uint64_t gpa;            /* +0x00 guest-physical address, 0 if len 0 */
	uint32_t len;            /* +0x08 bytes, <= VBS_SK_BUF_MAX */
	uint32_t reserved;       /* +0x0c 0 */
};
_Static_assert(sizeof(struct vbs_sk_buf) == 0x10, "sk buf");

struct vbs_sk_request {
	uint32_t magic;          /* 0x00 VBS_SK_REQ_MAGIC */
	uint16_t version;        /* 0x04 VBS_SK_ABI_VERSION */
	uint16_t size;           /* 0x06 VBS_SK_REQ_SIZE */
	uint32_t service;        /* 0x08 enum vbs_sk_service */
	uint32_t op;             /* 0x0c operation of that service */
	uint32_t flags;          /* 0x10 reserved, 0 */
	int32_t status;          /* 0x14 out: enum vbs_sk_status; 0 on input */
	uint64_t arg0;           /* 0x18 per operation */
	uint64_t arg1;           /* 0x20 per operation */
	struct vbs_sk_buf in;    /* 0x28 input buffer */
	struct vbs_sk_buf out;   /* 0x38 output buffer */
	uint32_t out_len;        /* 0x48 out: bytes written; 0 on input */
	uint32_t reserved0;      /* 0x4c 0 */
	uint64_t reserved1[2];   /* 0x50 0 */
};
_Static_assert(sizeof(struct vbs_sk_request) == VBS_SK_REQ_SIZE, "sk request");
_Static_assert(__builtin_offsetof(struct vbs_sk_request, status) == 0x14, "status");
_Static_assert(__builtin_offsetof(struct vbs_sk_request, arg0) == 0x18, "arg0");
_Static_assert(__builtin_offsetof(struct vbs_sk_request, in) == 0x28, "in");
_Static_assert(__builtin_offsetof(struct vbs_sk_request, out) == 0x38, "out");
_Static_assert(__builtin_offsetof(struct vbs_sk_request, out_len) == 0x48, "out_len");
_Static_assert(__builtin_offsetof(struct vbs_sk_request, reserved1) == 0x50, "reserved1");

enum vbs_sk_status {
	VBS_SK_OK = 0,
	VBS_SK_E_MALFORMED = -1,  /* magic, version, size, reserved field */
	VBS_SK_E_SERVICE = -2,    /* no such service */
	VBS_SK_E_OP = -3,         /* no such operation */
	VBS_SK_E_RANGE = -4,      /* a length or argument out of range */
	VBS_SK_E_FAULT = -5,      /* a buffer could not be mapped */
	VBS_SK_E_NOSPACE = -6,    /* vault full */
	VBS_SK_E_NOENT = -7,      /* no such secret */
	VBS_SK_E_AUTH = -8,       /* unwrap: authentication failed */
	VBS_SK_E_ENTROPY = -9,    /* entropy source failed */
	VBS_SK_E_SMALL = -10,     /* output buffer too small */
	VBS_SK_E_KIND = -11,      /* operation not possible with that key kind */
	VBS_SK_E_DENIED = -12,    /* would weaken a protection already set */
	VBS_SK_E_HV = -13,        /* the hypervisor refused VTL1's change */
};

enum vbs_sk_service {
	VBS_SK_SVC_STATUS = 1,
	VBS_SK_SVC_LOG = 2,
	VBS_SK_SVC_VAULT = 3,
	VBS_SK_SVC_PROTECT = 4,
	VBS_SK_SVC_MODULE = 5,
};

/*
 * VBS_SK_SVC_MODULE: VTL0 reports its modules' code ranges (vbs.ko, on
 * load and unload) so that events name the module an address lies in.
 * VTL0's word, not verified (docs/secure-kernel.md).
 */
enum vbs_sk_module_op {
	VBS_SK_MODULE_NOTE = 1,  /* arg0 = code base (kernel address), arg1 =
				  * code size (<= 1 GiB); in = name, 1..31
				  * printable bytes */
	VBS_SK_MODULE_GONE = 2,  /* arg0 = code base */
};

/* VBS_SK_SVC_STATUS */
#define VBS_SK_STATUS_GET 1u   /* out: struct vbs_sk_status_info */
#define VBS_SK_STATUS_SPIN 2u  /* diagnostic: VTL1 stays busy for arg0 TSC
				* cycles (1..VBS_SK_SPIN_MAX); VTL0 keeps
				* taking its interrupts meanwhile */
#define VBS_SK_SPIN_MAX (1ull << 36)

/* Security properties, bit masks (the Win32_DeviceGuard idea:
 * available / required / running). */
#define VBS_SK_PROP_VTL1 (1u << 0)          /* the secure kernel itself */
#define VBS_SK_PROP_VAULT (1u << 1)         /* credential isolation */
#define VBS_SK_PROP_HVCI (1u << 2)          /* memory integrity */
#define VBS_SK_PROP_PROTECT (1u << 3)       /* protected memory ranges
					     * (secure intercepts) */

struct vbs_sk_status_info {
	uint32_t abi_version;    /* 0x00 VBS_SK_ABI_VERSION */
	uint32_t sk_version;     /* 0x04 major<<16 | minor<<8 | patch */
	uint32_t props_available;/* 0x08 VBS_SK_PROP_* */
	uint32_t props_required; /* 0x0c */
	uint32_t props_running;  /* 0x10 */
	uint32_t vault_used;     /* 0x14 slots holding a secret */
	uint32_t vault_slots;    /* 0x18 capacity */
	uint32_t entropy_sources;/* 0x1c VBS_SK_ENTROPY_*: what seeded VTL1's
				  * pool at boot */
	uint64_t log_next_seq;   /* 0x20 sequence number of the next event */
	uint64_t log_dropped;    /* 0x28 events overwritten since start */
};
_Static_assert(sizeof(struct vbs_sk_status_info) == 0x30, "sk status");

/* vbs_sk_status_info.entropy_sources: the sources that delivered bytes
 * into VTL1's entropy pool at boot (docs/secure-kernel.md "Entropy").
 * RDSEED/RDRAND output is also mixed into every later draw. */
#define VBS_SK_ENTROPY_RDSEED (1u << 0)     /* the CPU's RDSEED */
#define VBS_SK_ENTROPY_RDRAND (1u << 1)     /* the CPU's RDRAND */
#define VBS_SK_ENTROPY_TPM (1u << 2)        /* TPM2_GetRandom (CRB) */

/* VBS_SK_SVC_LOG */
#define VBS_SK_LOG_READ 1u     /* arg0 = first sequence number wanted;
				* out: struct vbs_sk_log_head + entries */

enum vbs_sk_event_kind {
	VBS_SK_EV_REFUSED = 1,   /* a malformed or refused request */
	VBS_SK_EV_DENIED = 2,    /* a denied VTL0 access (secure intercept) */
	VBS_SK_EV_VAULT = 3,     /* a vault change: create, import, delete */
	VBS_SK_EV_INFO = 4,
	VBS_SK_EV_AUDIT = 5,     /* a protection violation let through by its
				  * policy (audit, tripwire) */
};

#define VBS_SK_EV_MODULE_LEN 32u
#define VBS_SK_EV_DETAIL_LEN 32u

struct vbs_sk_event {
	uint64_t seq;            /* 0x00 sequence number, from 0, no gaps */
	uint32_t kind;           /* 0x08 enum vbs_sk_event_kind */
	int32_t code;            /* 0x0c a status or service-specific code */
	uint64_t source;         /* 0x10 address it came from (RIP, GPA) */
	uint64_t arg;            /* 0x18 kind-specific */
	char module[VBS_SK_EV_MODULE_LEN]; /* 0x20 NUL-padded, "" if unknown */
	char detail[VBS_SK_EV_DETAIL_LEN]; /* 0x40 NUL-padded text */
};
_Static_assert(sizeof(struct vbs_sk_event) == 0x60, "sk event");

struct vbs_sk_log_head {
	uint64_t first_seq;      /* 0x00 seq of the first entry returned */
	uint64_t next_seq;       /* 0x08 seq the next event will get */
	uint64_t lost;           /* 0x10 entries >= arg0 overwritten unread */
	uint64_t dropped_total;  /* 0x18 entries overwritten since start */
	uint32_t count;          /* 0x20 entries that follow */
	uint32_t entry_size;     /* 0x24 sizeof(struct vbs_sk_event) */
};
_Static_assert(sizeof(struct vbs_sk_log_head) == 0x28, "sk log head");

/* VBS_SK_SVC_VAULT. Ids are never reused while the secure kernel runs. */
enum vbs_sk_vault_op {
	VBS_SK_VAULT_CREATE = 1, /* arg0 = kind; in = label; out: u32 id */
	VBS_SK_VAULT_IMPORT = 2, /* arg0 = kind, arg1 = label length;
				  * in = label || key bytes; out: u32 id */
	VBS_SK_VAULT_LIST = 3,   /* out: struct vbs_sk_vault_entry[] */
	VBS_SK_VAULT_DELETE = 4, /* arg0 = id */
	VBS_SK_VAULT_PUBKEY = 5, /* arg0 = id; out: ECDSA: SEC1 uncompressed
				  * point (65); Ed25519: RFC 8032 key (32) */
	VBS_SK_VAULT_SIGN = 6,   /* arg0 = id; in = message; out: signature */
	VBS_SK_VAULT_MAC = 7,    /* arg0 = id; in = message; out: 32 bytes */
	VBS_SK_VAULT_WRAP = 8,   /* arg0 = id, arg1 = AAD length;
				  * in = AAD || plaintext;
				  * out: nonce(12) || ciphertext || tag(16) */
	VBS_SK_VAULT_UNWRAP = 9, /* arg0 = id, arg1 = AAD length;
				  * in = AAD || nonce || ciphertext || tag;
				  * out: plaintext */
};

enum vbs_sk_key_kind {
	VBS_SK_KEY_HMAC_SHA256 = 1, /* 32 random bytes; import 1..64 */
	VBS_SK_KEY_ECDSA_P256 = 2,  /* private scalar, 32 bytes big-endian;
				     * signatures r || s, 64 bytes, over
				     * SHA-256(message) */
	VBS_SK_KEY_AES256_GCM = 3,  /* 32 bytes */
	VBS_SK_KEY_ED25519 = 4,     /* RFC 8032 private key (32-byte seed);
				     * public key 32 bytes; signatures 64
				     * bytes, PureEdDSA over the message */
};

#define VBS_SK_LABEL_LEN 32u
#define VBS_SK_GCM_NONCE_LEN 12u
#define VBS_SK_GCM_TAG_LEN 16u

struct vbs_sk_vault_entry {
	uint32_t id;             /* 0x00 */
	uint32_t kind;           /* 0x04 enum vbs_sk_key_kind */
	uint32_t flags;          /* 0x08 VBS_SK_VAULT_F_* */
	uint32_t reserved;       /* 0x0c 0 */
	char label[VBS_SK_LABEL_LEN]; /* 0x10 NUL-padded */
};
_Static_assert(sizeof(struct vbs_sk_vault_entry) == 0x30, "sk vault entry");

#define VBS_SK_VAULT_F_IMPORTED (1u << 0) /* the key bytes passed VTL0 */

/*
 * VBS_SK_SVC_PROTECT: VTL0 gives up rights on its own memory (kernel data
 * protection), for good: VTL1 sets the range's VTL0 protection mask
 * (VBS_HC_MODIFY_VTL_PROTECTION_MASK) and answers every violation
 * (a secure intercept) by the range's policy. A range may not overlap
 * one already protected, so nothing VTL0 asks can weaken a protection.
 * For the VTL0 events: event source = VTL0's RIP, arg = GPA, code = the
 * access (VBS_VTL_PROT_*), detail = "<access> <policy>: <label>".
 */
enum vbs_sk_protect_op {
	VBS_SK_PROTECT_SET = 1,  /* in: struct vbs_sk_protect_range (out
				  * fields 0) */
	VBS_SK_PROTECT_LIST = 2, /* out: struct vbs_sk_protect_range[] */
};

enum vbs_sk_protect_policy {
	VBS_SK_PROTECT_DENY = 1,     /* VTL0 gets #GP; logged (DENIED) */
	VBS_SK_PROTECT_AUDIT = 2,    /* logged (AUDIT), then done: a write
				      * is emulated once, a read or execute
				      * is allowed from then on */
	VBS_SK_PROTECT_TRIPWIRE = 3, /* the first violation of a page is
				      * logged (AUDIT); the page then keeps
				      * that access */
};

#define VBS_SK_PROTECT_RANGES 64u          /* at most, per boot */
#define VBS_SK_PROTECT_MAX_PAGES 65536u    /* per range */

struct vbs_sk_protect_range {
	uint64_t gpa;            /* 0x00 page aligned */
	uint64_t pages;          /* 0x08 1..VBS_SK_PROTECT_MAX_PAGES */
	uint32_t mask;           /* 0x10 what VTL0 keeps: VBS_VTL_PROT_*
				  * (write needs read, execute needs read) */
	uint32_t policy;         /* 0x14 enum vbs_sk_protect_policy */
	uint64_t violations;     /* 0x18 out (LIST): intercepts so far */
	uint32_t state;          /* 0x20 out: VBS_SK_PROTECT_ST_* */
	uint32_t reserved;       /* 0x24 0 */
	char label[32];          /* 0x28 NUL-padded, printable */
};
_Static_assert(sizeof(struct vbs_sk_protect_range) == 0x48, "sk protect range");

#define VBS_SK_PROTECT_ST_ACTIVE 1u   /* the mask is set on every page */
#define VBS_SK_PROTECT_ST_PARTIAL 2u  /* the hypervisor refused part of it */

#endif
