/* SPDX-License-Identifier: MIT */
/*
 * vbsctl's parts (docs/vbsctl.md): main.c dispatches to the subcommands,
 * vbsctl.c is `vbsctl hv` (CPUID only; guest/bench compiles it in),
 * status.c, log.c and vault.c talk to the secure kernel through sk_call.c
 * (/dev/vbs, include/vbs/vbs_ioctl.h); fmt.c holds the pure parts
 * (options, JSON strings, hex, names), unit-tested in tests/unit/.
 */
#ifndef VBSCTL_H
#define VBSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vbs/cpuid.h"
#include "vbs/hypercall.h"

/* Exit codes (docs/vbsctl.md "Exit codes"). */
enum vbsctl_exit {
	VBSCTL_OK = 0,
	VBSCTL_E_NOTRUNNING = 1, /* no OpenVBS hypervisor / secure kernel */
	VBSCTL_E_USAGE = 2,      /* bad arguments (also a malformed id) */
	VBSCTL_E_DRIVER = 3,     /* /dev/vbs absent or not permitted */
	VBSCTL_E_FILE = 4,       /* an --in/--out/--aad file failed */
	VBSCTL_E_NOENT = 5,      /* no such secret */
	VBSCTL_E_KIND = 6,       /* wrong key kind for the operation */
	VBSCTL_E_AUTH = 7,       /* unwrap: authentication failed */
	VBSCTL_E_REFUSED = 8,    /* any other refusal by the secure kernel */
	VBSCTL_E_IO = 9,         /* the driver failed, or a malformed answer */
};

/* ---- vbsctl.c: the hypervisor through CPUID ---- */
struct hv_info {
	bool present;
	char vendor[VBS_CPUID_SIGNATURE_LEN + 1];
	uint32_t max_leaf, abi, version, ncounters, cpu_index;
	uint64_t counters[VBS_CTR_COUNT];
	int os_cpu;
};

void hv_read(struct hv_info *h);
int cmd_hv(int argc, char **argv);

/* ---- subcommands; argv[0] is the subcommand's name ---- */
int cmd_status(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_vault(int argc, char **argv);
int cmd_protect(int argc, char **argv);

/* ---- fmt.c: options ---- */
enum vbsctl_opt {
	OPT_JSON = 1u << 0,   /* --json */
	OPT_IN = 1u << 1,     /* --in FILE */
	OPT_OUT = 1u << 2,    /* --out FILE */
	OPT_AAD = 1u << 3,    /* --aad FILE */
	OPT_KIND = 1u << 4,   /* --kind NAME */
	OPT_LABEL = 1u << 5,  /* --label TEXT */
	OPT_FROM = 1u << 6,   /* --from SEQ */
	OPT_MASK = 1u << 7,   /* --mask r|rw|rx|rwx|none */
	OPT_POLICY = 1u << 8, /* --policy deny|audit|tripwire */
};

#define VBSCTL_MAX_POS 2

struct vbsctl_opts {
	unsigned int seen;    /* OPT_* given */
	bool json;
	const char *in, *out, *aad, *kind, *label, *mask, *policy;
	uint64_t from;
	const char *pos[VBSCTL_MAX_POS];
	unsigned int npos;
};

/* Parses argv[first..argc-1]: options in `allowed`, at most max_pos
 * positional words. 0, or -1 with a message in err. */
int opts_parse(int argc, char **argv, int first, unsigned int allowed,
	       unsigned int max_pos, struct vbsctl_opts *o, char *err,
	       size_t err_size);

/* Strict unsigned decimal (or 0x hex) numbers; 0 or -1. */
int parse_u64(const char *s, uint64_t *v);
int parse_u32(const char *s, uint32_t *v);

/* ---- fmt.c: output ---- */
/* A JSON string literal (quotes included) of len bytes of s. */
void json_str(FILE *f, const char *s, size_t len);
/* Lower-case hex of len bytes. */
void hex_write(FILE *f, const uint8_t *p, size_t len);
/* Length of a NUL-padded fixed field: up to the first NUL, at most max. */
size_t field_len(const char *s, size_t max);
/* Human text of a NUL-padded field: printable ASCII, others as \xNN. */
void text_field(FILE *f, const char *s, size_t len);

/* Names of enum values (fmt.c); "?" for unknown. */
const char *sk_status_name(int32_t status);
const char *key_kind_name(uint32_t kind);
int key_kind_parse(const char *name, uint32_t *kind);
const char *event_kind_name(uint32_t kind);
/* Protection masks ("r", "rw", "rx", "rwx", "none": VBS_VTL_PROT_*, x
 * meaning kernel and user execute) and policies, both ways. */
int prot_mask_parse(const char *name, uint32_t *mask);
const char *prot_mask_name(uint32_t mask);
int prot_policy_parse(const char *name, uint32_t *policy);
const char *prot_policy_name(uint32_t policy);
/* Writes the VBS_SK_PROP_* names in mask, "sep"-separated; unknown bits
 * as 0xNN; nothing for 0. JSON: each a quoted string. */
void props_write(FILE *f, uint32_t mask, const char *sep, bool json);

/* Log answer check (fmt.c): 0 if len bytes at buf hold a head and its
 * count entries of entry_size >= sizeof(struct vbs_sk_event). */
struct vbs_sk_log_head;
int log_head_check(const uint8_t *buf, size_t len,
		   struct vbs_sk_log_head *head);

/* ---- sk_call.c: one secure kernel request through /dev/vbs ---- */
struct sk_call {
	uint32_t service, op;
	uint64_t arg0, arg1;
	const void *in;
	uint32_t in_len;
	void *out;
	uint32_t out_cap;
	int32_t status;      /* out: enum vbs_sk_status */
	uint32_t out_len;    /* out */
	uint32_t hc_status;  /* out: enum vbs_hc_status */
	int sys_errno;       /* out: errno of open/ioctl, 0 if none */
};

/* Makes the request; returns a vbsctl exit code: OK only when the secure
 * kernel answered VBS_SK_OK. Unless quiet, says why not on stderr,
 * naming `what`. */
int sk_call(struct sk_call *c, const char *what, bool quiet);
/* A list operation (no input): *out (free it) holds *count entries of
 * entry_size bytes; a vbsctl exit code, a malformed answer is E_IO. */
int sk_call_list(uint32_t service, uint32_t op, size_t entry_size,
		 const char *what, uint8_t **out, uint32_t *count);
/* The reason of a failed sk_call as one phrase. */
void sk_call_reason(const struct sk_call *c, int rc, char *buf, size_t size);

#endif
