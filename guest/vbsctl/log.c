// SPDX-License-Identifier: MIT
/*
 * vbsctl log [--json] [--from SEQ]: the secure kernel's event log
 * (VBS_SK_SVC_LOG / VBS_SK_LOG_READ, include/vbs/sk_abi.h), read from SEQ
 * (default 0) in answers of up to VBS_SK_BUF_MAX bytes until the next
 * sequence number is reached. The number of entries lost is the sum of
 * the heads' `lost` (entries >= the sequence asked for that were
 * overwritten unread), printed as "N entries lost".
 */
#include <stdlib.h>
#include <string.h>

#include "vbs/sk_abi.h"
#include "vbsctl.h"

/* At most this many answers per run: a ring that keeps growing while we
 * read cannot keep us here forever. */
#define LOG_MAX_READS 4096u

struct log_totals {
	uint64_t from, lost, dropped_total, next_seq, count;
};

static void event_text(const struct vbs_sk_event *ev)
{
	printf("%llu %s code=%d source=0x%llx arg=0x%llx module=",
	       (unsigned long long)ev->seq, event_kind_name(ev->kind), ev->code,
	       (unsigned long long)ev->source, (unsigned long long)ev->arg);
	text_field(stdout, ev->module, field_len(ev->module, sizeof(ev->module)));
	printf(" detail=");
	text_field(stdout, ev->detail, field_len(ev->detail, sizeof(ev->detail)));
	putchar('\n');
}

static void event_json(const struct vbs_sk_event *ev, bool first)
{
	printf("%s{\"seq\": %llu, \"kind\": \"%s\", \"kind_code\": %u, "
	       "\"code\": %d, \"source\": %llu, \"arg\": %llu, \"module\": ",
	       first ? "" : ", ", (unsigned long long)ev->seq,
	       event_kind_name(ev->kind), ev->kind, ev->code,
	       (unsigned long long)ev->source, (unsigned long long)ev->arg);
	json_str(stdout, ev->module, field_len(ev->module, sizeof(ev->module)));
	printf(", \"detail\": ");
	json_str(stdout, ev->detail, field_len(ev->detail, sizeof(ev->detail)));
	putchar('}');
}

/* Prints one answer's entries; returns the sequence after the last. */
static uint64_t log_print(const uint8_t *buf, const struct vbs_sk_log_head *h,
			  bool json, struct log_totals *t)
{
	struct vbs_sk_event ev;
	uint32_t i;

	for (i = 0; i < h->count; i++) {
		memcpy(&ev, buf + sizeof(*h) + (size_t)i * h->entry_size,
		       sizeof(ev));
		if (json)
			event_json(&ev, t->count == 0);
		else
			event_text(&ev);
		t->count++;
	}
	return h->first_seq + h->count;
}

static int log_read_all(uint8_t *buf, bool json, struct log_totals *t)
{
	struct vbs_sk_log_head h;
	uint64_t cursor = t->from;
	unsigned int reads;
	int rc;

	for (reads = 0; reads < LOG_MAX_READS; reads++) {
		struct sk_call c = {
			.service = VBS_SK_SVC_LOG, .op = VBS_SK_LOG_READ,
			.arg0 = cursor, .out = buf, .out_cap = VBS_SK_BUF_MAX,
		};

		rc = sk_call(&c, "log", false);
		if (rc != VBSCTL_OK)
			return rc;
		if (log_head_check(buf, c.out_len, &h) != 0 ||
		    (h.count && h.first_seq < cursor)) {
			fprintf(stderr, "vbsctl: log: malformed answer (%u bytes)\n",
				c.out_len);
			return VBSCTL_E_IO;
		}
		t->lost += h.lost;
		t->dropped_total = h.dropped_total;
		t->next_seq = h.next_seq;
		if (h.count == 0)
			break;
		cursor = log_print(buf, &h, json, t);
		if (cursor >= h.next_seq)
			break;
	}
	return VBSCTL_OK;
}

int cmd_log(int argc, char **argv)
{
	struct log_totals t = { 0 };
	struct vbsctl_opts o;
	char err[128];
	uint8_t *buf;
	int rc;

	if (opts_parse(argc, argv, 1, OPT_JSON | OPT_FROM, 0, &o, err,
		       sizeof(err))) {
		fprintf(stderr, "vbsctl log: %s\n"
			"usage: vbsctl log [--json] [--from SEQ]\n", err);
		return VBSCTL_E_USAGE;
	}
	buf = calloc(1, VBS_SK_BUF_MAX);
	if (!buf) {
		perror("vbsctl: log");
		return VBSCTL_E_IO;
	}
	t.from = o.from;
	if (o.json)
		printf("{\"from\": %llu, \"entries\": [",
		       (unsigned long long)t.from);
	rc = log_read_all(buf, o.json, &t);
	free(buf);
	if (o.json)
		printf("], \"count\": %llu, \"lost\": %llu, \"next_seq\": %llu, "
		       "\"dropped_total\": %llu, \"ok\": %s}\n",
		       (unsigned long long)t.count, (unsigned long long)t.lost,
		       (unsigned long long)t.next_seq,
		       (unsigned long long)t.dropped_total,
		       rc == VBSCTL_OK ? "true" : "false");
	else if (rc == VBSCTL_OK)
		printf("%llu entries lost\n"
		       "next sequence %llu, %llu entries dropped since start\n",
		       (unsigned long long)t.lost,
		       (unsigned long long)t.next_seq,
		       (unsigned long long)t.dropped_total);
	return rc;
}
