// SPDX-License-Identifier: MIT
/*
 * --probe-morlock over efivarfs, against a fake firmware that implements
 * MemoryOverwriteRequestControlLock revision 2 (EDK2 TcgMorLockSmm.c
 * behaviour, readiness-spec §1.7) or revision 1, behind the evidence
 * interface. Checks the verdict, that the lock is left unlocked, and that
 * the outcome is stored as a capture fact.
 */
#include "check_util.h"
#include "fw/mor.h"

#include <errno.h>
#include <stdio.h>

struct fake_fw {
	int revision;
	uint8_t mor, lock;
	uint8_t key[8];
	int writes;
	char fact[64];
};

static struct fake_fw fw;

static int fake_read(struct ev *ev, const char *path, struct ev_buf *out)
{
	(void)ev;
	uint8_t v[5] = { 7, 0, 0, 0, 0 };
	if (strstr(path, MOR_LOCK_NAME "-"))
		v[4] = fw.lock;
	else if (strstr(path, MOR_CONTROL_NAME "-"))
		v[4] = fw.mor;
	else
		return -ENOENT;
	*out = buf_of(v, 5);
	return 0;
}

static int set_lock(const uint8_t *d, size_t n)
{
	if (n != 1 && !(n == 8 && fw.revision >= 2))
		return -EINVAL;
	if (fw.lock == MOR_LOCK_UNLOCKED) {
		if (n == 8) {
			memcpy(fw.key, d, 8);
			fw.lock = MOR_LOCK_LOCKED_WITH_KEY;
		} else if (d[0] == 1) {
			fw.lock = MOR_LOCK_LOCKED;
		}
		return 0;
	}
	if (fw.lock == MOR_LOCK_LOCKED_WITH_KEY && n == 8) {
		if (!memcmp(fw.key, d, 8)) {
			fw.lock = MOR_LOCK_UNLOCKED;
			return 0;
		}
		fw.lock = MOR_LOCK_LOCKED; /* wrong key: locked until reset */
	}
	return -EINVAL; /* ACCESS_DENIED, as efivarfs reports it */
}

static int fake_write(struct ev *ev, const char *path, const void *data,
		      size_t len)
{
	(void)ev;
	const uint8_t *d = data;
	fw.writes++;
	if (len < 5)
		return -EINVAL;
	if (strstr(path, MOR_LOCK_NAME "-"))
		return fw.revision ? set_lock(d + 4, len - 4) : -EROFS;
	if (strstr(path, MOR_CONTROL_NAME "-")) {
		if (fw.revision == 0)
			return -EROFS; /* revision 0: nothing is writable */
		if (fw.lock != MOR_LOCK_UNLOCKED || len != 5)
			return -EINVAL;
		fw.mor = d[4];
		return 0;
	}
	return -ENOENT;
}

static int fake_list(struct ev *ev, const char *path, struct ev_list *out)
{
	(void)ev;
	memset(out, 0, sizeof(*out));
	return strcmp(path, "/sys/firmware/efi") ? -ENOENT : 0;
}

static int fake_fact_put(struct ev *ev, const char *key, const char *value)
{
	(void)ev;
	if (!strcmp(key, "morlock-probe"))
		snprintf(fw.fact, sizeof(fw.fact), "%s", value);
	return 0;
}

static int fake_fact_get(struct ev *ev, const char *key, char *out, size_t n)
{
	(void)ev, (void)key, (void)out, (void)n;
	return -ENOENT;
}

static const struct ev_ops fake_ops = {
	.read_file = fake_read,
	.list_dir = fake_list,
	.write_file = fake_write,
	.fact_put = fake_fact_put,
	.fact_get = fake_fact_get,
};

static void probe(int revision, uint8_t lock, struct vc_check *c)
{
	struct ev ev = { &fake_ops, NULL };
	struct vc_mor_facts f;

	memset(&fw, 0, sizeof(fw));
	fw.revision = revision;
	fw.lock = lock;
	fw.mor = MOR_CLEAR_MEMORY;
	gather_mor(&ev, true, &f);
	new_check(c, 6);
	judge_r7(&f, c);
	ev_buf_free(&f.control);
	ev_buf_free(&f.lock);
}

static void probe_revision_2(void **state)
{
	(void)state;
	struct vc_check c;
	probe(2, MOR_LOCK_UNLOCKED, &c);
	assert_int_equal(c.result, VC_PASS);
	assert_false(c.has_note);
	assert_string_equal(fw.fact, "2");
	assert_int_equal(fw.lock, MOR_LOCK_UNLOCKED); /* left as found */
	assert_int_equal(fw.mor, MOR_CLEAR_MEMORY);
}

static void probe_revision_1(void **state)
{
	(void)state;
	struct vc_check c;
	probe(1, MOR_LOCK_UNLOCKED, &c);
	assert_int_equal(c.result, VC_FAIL);
	assert_true(has_rule(&c, "MOR-P1"));
	assert_string_equal(fw.fact, "1");
	assert_int_equal(fw.lock, MOR_LOCK_UNLOCKED);
}

static void no_probe_when_locked(void **state)
{
	(void)state;
	struct vc_check c;
	probe(2, MOR_LOCK_LOCKED, &c);
	assert_int_equal(fw.writes, 0);
	assert_int_equal(c.result, VC_PASS);
	assert_true(c.has_note); /* revision 2 unverified */
	assert_true(has_rule(&c, "MOR-P3"));
}

/* variables not writable (read-only efivarfs): the probe decides nothing */
static void probe_cannot_write(void **state)
{
	(void)state;
	struct vc_check c;
	probe(0, MOR_LOCK_UNLOCKED, &c);
	assert_int_equal(c.result, VC_UNKNOWN);
	assert_string_equal(fw.fact, "undecided");
	assert_int_equal(fw.lock, MOR_LOCK_UNLOCKED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(probe_revision_2),
		cmocka_unit_test(probe_revision_1),
		cmocka_unit_test(no_probe_when_locked),
		cmocka_unit_test(probe_cannot_write),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
