/* SPDX-License-Identifier: MIT */
/*
 * vbs-check's parsers of untrusted text: kernel log lines (EFI memattr,
 * MEMATTR=), capture files (cpuid, msr, errors, listing, host), sysfs
 * number and CPU-list attributes. Pure functions: no I/O, unit-tested and
 * fuzzed (tests/fuzz/fuzz_vc_*.c).
 */
#ifndef VBS_CHECK_TEXT_H
#define VBS_CHECK_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Strict number: decimal, or 0x-prefixed hex; whole string; no sign. */
bool text_parse_u64(const char *s, uint64_t *out);

/*
 * Drops a kernel log line's prefix: "<6>" (klogctl), "[    1.234567] "
 * (printk time), "6,123,456789,-;" (/dev/kmsg). Returns the message start.
 */
const char *text_klog_strip(const char *line, size_t len, size_t *out_len);

/* ---- EFI memory attributes in the kernel log ---------------------------- */

/* EFI memory types and attribute bits (UEFI 2.10 §7.2) */
#include "fw/mat.h"
#ifndef EFI_MEMORY_HOT_PLUGGABLE
#define EFI_MEMORY_HOT_PLUGGABLE 0x100000ull  /* UEFI 2.10 */
#endif

enum memattr_kind {
	MEMATTR_OTHER = 0,   /* not a memattr line */
	MEMATTR_HEADER,      /* "Processing EFI Memory Attributes table:" */
	MEMATTR_ENTRY,       /* "[!] 0x<start>-0x<end> [<type>|<attrs>]" */
	MEMATTR_REASON,      /* a warning explaining the next '!' entry */
	MEMATTR_MALFORMED,   /* starts like an entry but does not parse */
};

struct memattr_line {
	enum memattr_kind kind;
	bool invalid;        /* '!' : Linux rejected this entry */
	uint64_t start;
	uint64_t pages;      /* 4 KiB pages */
	uint32_t type;       /* EFI memory type */
	uint64_t attr;
	const char *reason;  /* MEMATTR_REASON: static copy of Linux's text */
};

/*
 * Parses one normalised kernel log line (see text_klog_strip) written by
 * Linux drivers/firmware/efi/memattr.c with efi_md_typeattr_format()
 * (drivers/firmware/efi/efi.c). Attribute tokens are matched by name
 * (RUN HP MR CC SP NV XP RP WP RO UCE WB WT WC UC) or "attr=0x...".
 */
enum memattr_kind text_memattr_parse(const char *line, size_t len,
				     struct memattr_line *out);

/* "efi: ... MEMATTR=0x<addr> ..." (drivers/firmware/efi/efi.c). */
bool text_efi_memattr_addr(const char *line, size_t len, uint64_t *addr);

/* EFI memory type from Linux's name ("Runtime Code"); -1 if unknown. */
int text_efi_type_from_name(const char *name, size_t len);

/* ---- capture files --------------------------------------------------- */

/* "key\tvalue" lines; duplicates kept in order. */
struct text_kv {
	char **keys, **vals;
	size_t count;
};
int text_kv_parse(const char *s, size_t len, struct text_kv *out);
/* idx-th value stored under key, or NULL. */
const char *text_kv_get(const struct text_kv *kv, const char *key, size_t idx);
void text_kv_free(struct text_kv *kv);

/* vbs-capture/cpuid: "leaf sub eax ebx ecx edx" (hex) or "leaf sub !ERRNO". */
struct text_cpuid_rec {
	uint32_t leaf, sub, r[4];
	int err;
};
struct text_cpuid {
	struct text_cpuid_rec *recs;
	size_t count;
};
int text_cpuid_parse(const char *s, size_t len, struct text_cpuid *out);
int text_cpuid_get(const struct text_cpuid *c, uint32_t leaf, uint32_t sub,
		   uint32_t r[4]);
void text_cpuid_free(struct text_cpuid *c);

/* vbs-capture/msr: "cpu msr value" (msr, value hex) or "cpu msr !ERRNO". */
struct text_msr_rec {
	uint32_t cpu, msr;
	uint64_t val;
	int err;
};
struct text_msr {
	struct text_msr_rec *recs;
	size_t count;
};
int text_msr_parse(const char *s, size_t len, struct text_msr *out);
int text_msr_get(const struct text_msr *m, unsigned cpu, uint32_t msr,
		 uint64_t *val);
void text_msr_free(struct text_msr *m);

/* vbs-capture/host: "kernel=..", "machine=..", "euid=.." lines. */
void text_parse_host(const char *s, size_t len, char *kernel, size_t kn,
		     char *machine, size_t mn, long *euid);

/* Negative errno from a name such as "EACCES"; -EIO when unknown. */
const char *text_errno_name(int neg_errno);
int text_errno_from_name(const char *name);

/*
 * CPU list ("0-3,8,10-11", Documentation/admin-guide/cputopology.rst):
 * fills cpus[] ascending, at most cap; returns the count or -1 if malformed.
 */
int text_cpulist(const char *s, unsigned *cpus, int cap);

/* True when token is a whole space-separated word of the cpuinfo line. */
bool text_has_word(const char *s, const char *word);

#endif
