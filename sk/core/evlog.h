/* SPDX-License-Identifier: MIT */
/*
 * The secure kernel's event log (issue 5 item 3; docs/secure-kernel.md
 * "Event log"): a ring of fixed-size struct vbs_sk_event entries over a
 * caller-given array. Policy: when full, the OLDEST entry is overwritten
 * and counted (the newest events are the ones an incident needs).
 * Sequence numbers start at 0 and have no gaps, so a reader that asks
 * "from N on" learns exactly how many of those it missed. Not
 * thread-safe: the caller holds its lock.
 */
#ifndef SK_CORE_EVLOG_H
#define SK_CORE_EVLOG_H

#include <stddef.h>
#include <stdint.h>

#include "vbs/sk_abi.h"

struct sk_evlog {
	struct vbs_sk_event *ring;
	uint32_t capacity;
	uint64_t next_seq;       /* seq of the next event = events ever added */
	uint64_t dropped;        /* overwritten before anyone could be sure to
				  * have read them: next_seq - retained */
};

struct sk_evlog_read {
	uint64_t first_seq;      /* seq of out[0] (when count > 0) */
	uint64_t next_seq;
	uint64_t lost;           /* entries with seq >= from that are gone */
	uint32_t count;          /* entries copied to out */
};

int sk_evlog_init(struct sk_evlog *log, struct vbs_sk_event *ring, uint32_t capacity);
/* module, detail: NUL-terminated or NULL; longer text is cut. Returns
 * the new entry's sequence number. */
uint64_t sk_evlog_add(struct sk_evlog *log, uint32_t kind, int32_t code,
		      uint64_t source, uint64_t arg, const char *module,
		      const char *detail);
/* Copies up to max entries with seq >= from, oldest first. */
void sk_evlog_read(const struct sk_evlog *log, uint64_t from,
		   struct vbs_sk_event *out, uint32_t max, struct sk_evlog_read *res);

#endif
