// SPDX-License-Identifier: MIT
/* Unit tests: sk/core/evlog.c, the event log ring (drop oldest, count). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/evlog.h"

#define CAP 8

static struct vbs_sk_event ring[CAP];
static struct vbs_sk_event out[64];

static struct sk_evlog fresh(void)
{
	struct sk_evlog log;

	memset(ring, 0xee, sizeof(ring));
	assert_int_equal(sk_evlog_init(&log, ring, CAP), 0);
	return log;
}

static void add_n(struct sk_evlog *log, int n)
{
	int i;

	for (i = 0; i < n; i++)
		sk_evlog_add(log, VBS_SK_EV_REFUSED, -i, 0x1000 + (uint64_t)log->next_seq,
			     log->next_seq, "mod", "detail");
}

static void test_init_bad(void **state)
{
	struct sk_evlog log;

	(void)state;
	assert_int_equal(sk_evlog_init(&log, NULL, 4), -1);
	assert_int_equal(sk_evlog_init(&log, ring, 0), -1);
}

static void test_fields_and_text(void **state)
{
	struct sk_evlog log = fresh();
	struct sk_evlog_read r;
	const char *longtext = "0123456789abcdef0123456789abcdef-cut";

	(void)state;
	assert_int_equal(sk_evlog_add(&log, VBS_SK_EV_DENIED, -7, 0xffffffff81000000ull,
				      42, longtext, NULL), 0);
	sk_evlog_read(&log, 0, out, 64, &r);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.lost, 0);
	assert_int_equal(out[0].seq, 0);
	assert_int_equal(out[0].kind, VBS_SK_EV_DENIED);
	assert_int_equal(out[0].code, -7);
	assert_int_equal(out[0].source, 0xffffffff81000000ull);
	assert_int_equal(out[0].arg, 42);
	/* cut to 31 bytes and NUL-padded; NULL text is all zero */
	assert_int_equal(out[0].module[31], 0);
	assert_int_equal(strlen(out[0].module), 31);
	assert_memory_equal(out[0].module, longtext, 31);
	assert_int_equal(strlen(out[0].detail), 0);
}

static void test_no_wrap(void **state)
{
	struct sk_evlog log = fresh();
	struct sk_evlog_read r;
	uint32_t i;

	(void)state;
	add_n(&log, 5);
	sk_evlog_read(&log, 0, out, 64, &r);
	assert_int_equal(r.count, 5);
	assert_int_equal(r.first_seq, 0);
	assert_int_equal(r.next_seq, 5);
	assert_int_equal(r.lost, 0);
	assert_int_equal(log.dropped, 0);
	for (i = 0; i < 5; i++)
		assert_int_equal(out[i].seq, i);
	/* from the middle, and max limiting */
	sk_evlog_read(&log, 3, out, 1, &r);
	assert_int_equal(r.count, 1);
	assert_int_equal(out[0].seq, 3);
	/* from the future: nothing, nothing lost */
	sk_evlog_read(&log, 100, out, 64, &r);
	assert_int_equal(r.count, 0);
	assert_int_equal(r.lost, 0);
}

static void test_wraparound_exact_drops(void **state)
{
	struct sk_evlog log = fresh();
	struct sk_evlog_read r;
	uint32_t i;

	(void)state;
	add_n(&log, CAP + 5); /* 13 events in 8 slots: 0..4 overwritten */
	assert_int_equal(log.dropped, 5);
	sk_evlog_read(&log, 0, out, 64, &r);
	assert_int_equal(r.lost, 5);
	assert_int_equal(r.first_seq, 5);
	assert_int_equal(r.count, CAP);
	for (i = 0; i < CAP; i++) {
		assert_int_equal(out[i].seq, 5 + i);
		assert_int_equal(out[i].arg, 5 + i);
	}
	/* a reader that had seen up to 2 missed exactly 3 */
	sk_evlog_read(&log, 3, out, 64, &r);
	assert_int_equal(r.lost, 2);
	sk_evlog_read(&log, 5, out, 64, &r);
	assert_int_equal(r.lost, 0);
	assert_int_equal(r.count, CAP);
}

static void test_sequence_gap_after_long_wrap(void **state)
{
	struct sk_evlog log = fresh();
	struct sk_evlog_read r;
	uint64_t seen = 0;
	uint64_t lost_total = 0, got = 0;
	int round;

	(void)state;
	/* A reader polling with a small buffer while the writer outruns it:
	 * got + lost must equal everything written, with no seq twice. */
	for (round = 0; round < 50; round++) {
		add_n(&log, 3 + round % 7);
		sk_evlog_read(&log, seen, out, 4, &r);
		lost_total += r.lost;
		got += r.count;
		if (r.count)
			assert_int_equal(out[0].seq, seen + r.lost);
		seen = r.first_seq + r.count;
	}
	sk_evlog_read(&log, seen, out, 64, &r);
	lost_total += r.lost;
	got += r.count;
	assert_int_equal(got + lost_total, log.next_seq);
	assert_true(lost_total > 0);
	assert_int_equal(log.dropped, log.next_seq - CAP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_bad),
		cmocka_unit_test(test_fields_and_text),
		cmocka_unit_test(test_no_wrap),
		cmocka_unit_test(test_wraparound_exact_drops),
		cmocka_unit_test(test_sequence_gap_after_long_wrap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
