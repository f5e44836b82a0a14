// SPDX-License-Identifier: MIT
/*
 * Event log ring, drop-oldest policy (sk/core/evlog.h). Entry seq lives
 * at ring[seq % capacity]; the oldest retained is next_seq - retained,
 * retained = min(next_seq, capacity).
 */
#include "core/evlog.h"
#include "core/scrub.h"

int sk_evlog_init(struct sk_evlog *log, struct vbs_sk_event *ring, uint32_t capacity)
{
	if (!ring || capacity == 0)
		return -1;
	log->ring = ring;
	log->capacity = capacity;
	log->next_seq = 0;
	log->dropped = 0;
	sk_scrub(ring, (size_t)capacity * sizeof(*ring));
	return 0;
}

static void copy_text(char *dst, size_t cap, const char *src)
{
	size_t i = 0;

	if (src)
		for (; i + 1 < cap && src[i]; i++)
			dst[i] = src[i];
	for (; i < cap; i++)
		dst[i] = 0;
}

static uint64_t oldest_seq(const struct sk_evlog *log)
{
	return log->next_seq > log->capacity ? log->next_seq - log->capacity : 0;
}

uint64_t sk_evlog_add(struct sk_evlog *log, uint32_t kind, int32_t code,
		      uint64_t source, uint64_t arg, const char *module,
		      const char *detail)
{
	uint64_t seq = log->next_seq;
	struct vbs_sk_event *e = &log->ring[seq % log->capacity];

	if (seq >= log->capacity)
		log->dropped++;
	e->seq = seq;
	e->kind = kind;
	e->code = code;
	e->source = source;
	e->arg = arg;
	copy_text(e->module, sizeof(e->module), module);
	copy_text(e->detail, sizeof(e->detail), detail);
	log->next_seq = seq + 1;
	return seq;
}

void sk_evlog_read(const struct sk_evlog *log, uint64_t from,
		   struct vbs_sk_event *out, uint32_t max, struct sk_evlog_read *res)
{
	uint64_t oldest = oldest_seq(log), seq;
	uint32_t n = 0;

	if (from > log->next_seq)
		from = log->next_seq;
	res->lost = from < oldest ? oldest - from : 0;
	seq = from < oldest ? oldest : from;
	res->first_seq = seq;
	res->next_seq = log->next_seq;
	for (; seq < log->next_seq && n < max; seq++, n++)
		out[n] = log->ring[seq % log->capacity];
	res->count = n;
}
