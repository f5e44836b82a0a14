// SPDX-License-Identifier: MIT
/*
 * lib/fw/mor: efivarfs judgement and the Secure MOR revision probe.
 *
 * The probe is driven against a simulated variable store: a TEST DOUBLE
 * of firmware that cannot run here (OVMF implements neither
 * MemoryOverwriteRequestControl nor its lock, so a real QEMU/OVMF gives
 * the probe nothing to talk to). The double implements the lock as
 * UEFI/edk2 define it [E-MORSMM: MdeModulePkg/Universal/Variable/
 * RuntimeDxe/TcgMorLockSmm.c, with tianocore PR #4546; TCG "Platform
 * Reset Attack Mitigation Specification" §6]:
 *   revision 1: only 1-byte writes 0x00/0x01; once locked, every write is
 *               ACCESS_DENIED until reset;
 *   revision 2: additionally an 8-byte key locks (reads 0x02); while
 *               locked, only an 8-byte write is considered: the same key
 *               unlocks (reads 0x00), a wrong key erases the key and stays
 *               locked until reset (reads 0x01); size not 1/8 is
 *               INVALID_PARAMETER;
 *   both: MemoryOverwriteRequestControl writes are ACCESS_DENIED while
 *               the lock is set.
 */
#include "fw_test.h"
#include "fw/mor.h"

#define EFI_SUCCESS 0
#define EFI_INVALID_PARAMETER 2
#define EFI_ACCESS_DENIED 15
#define EFI_NOT_FOUND 14

struct sim {
	int rev;              /* 1 or 2; 0: no MOR variables at all */
	uint8_t mor;
	uint8_t lock;         /* value Get returns */
	uint8_t key[MOR_KEY_LEN];
	bool has_key;
	/* fault injection: firmware that gets revision 2 wrong */
	bool mor_writable_when_locked;
	bool key_never_unlocks;
	/* what the probe did */
	int lock_sets, lock_sets_1byte, mor_sets;
};

static int sim_get(void *ctx, enum mor_var_id var, uint32_t *attrs,
		   uint8_t *data, size_t cap, size_t *size)
{
	struct sim *s = ctx;

	if (s->rev == 0)
		return EFI_NOT_FOUND;
	if (cap < 1)
		return EFI_INVALID_PARAMETER;  /* BUFFER_TOO_SMALL really */
	*attrs = MOR_ATTRS;
	*size = 1;
	data[0] = var == MOR_VAR_LOCK ? s->lock : s->mor;
	return EFI_SUCCESS;
}

static int sim_set_lock(struct sim *s, const uint8_t *data, size_t size)
{
	s->lock_sets++;
	if (size == 1)
		s->lock_sets_1byte++;
	if (size != 1 && !(s->rev == 2 && size == MOR_KEY_LEN))
		return EFI_INVALID_PARAMETER;
	if (s->lock != MOR_LOCK_UNLOCKED) {
		if (s->rev == 1 || !s->has_key || size != MOR_KEY_LEN)
			return EFI_ACCESS_DENIED;
		if (memcmp(data, s->key, MOR_KEY_LEN) || s->key_never_unlocks) {
			memset(s->key, 0, sizeof(s->key));
			s->has_key = false;
			s->lock = MOR_LOCK_LOCKED;   /* PR #4546 */
			return EFI_ACCESS_DENIED;
		}
		s->has_key = false;
		s->lock = MOR_LOCK_UNLOCKED;
		return EFI_SUCCESS;
	}
	if (size == MOR_KEY_LEN) {
		memcpy(s->key, data, MOR_KEY_LEN);
		s->has_key = true;
		s->lock = MOR_LOCK_LOCKED_WITH_KEY;
		return EFI_SUCCESS;
	}
	if (data[0] > MOR_LOCK_LOCKED)
		return EFI_INVALID_PARAMETER;
	s->lock = data[0];
	return EFI_SUCCESS;
}

static int sim_set(void *ctx, enum mor_var_id var, uint32_t attrs,
		   const uint8_t *data, size_t size)
{
	struct sim *s = ctx;

	if (s->rev == 0)
		return EFI_NOT_FOUND;
	if (attrs != MOR_ATTRS)
		return EFI_INVALID_PARAMETER;
	if (var == MOR_VAR_LOCK)
		return sim_set_lock(s, data, size);
	s->mor_sets++;
	if (size != 1)
		return EFI_INVALID_PARAMETER;
	if (s->lock != MOR_LOCK_UNLOCKED && !s->mor_writable_when_locked)
		return EFI_ACCESS_DENIED;
	s->mor = data[0];
	return EFI_SUCCESS;
}

static const uint8_t key[MOR_KEY_LEN] = { 0x5a, 0x17, 0xc3, 0x01,
					  0x9e, 0x42, 0x00, 0xfd };

static enum mor_rev probe(struct sim *s, struct fw_report *r)
{
	struct mor_ops ops = { .ctx = s, .get = sim_get, .set = sim_set };
	enum mor_rev rev = MOR_REV_UNKNOWN;

	assert_int_equal(mor_probe(&ops, key, &rev, r), 0);
	return rev;
}

/* The double itself behaves as edk2 documents (so the probe tests mean
 * something): a wrong key locks until reset. */
static void test_double_semantics(void **state)
{
	struct sim s = { .rev = 2 };
	uint8_t wrong[MOR_KEY_LEN] = { 1 }, one = 1, zero = 0;

	(void)state;
	assert_int_equal(sim_set(&s, MOR_VAR_LOCK, MOR_ATTRS, key, 8), 0);
	assert_int_equal(s.lock, MOR_LOCK_LOCKED_WITH_KEY);
	assert_int_equal(sim_set(&s, MOR_VAR_CONTROL, MOR_ATTRS, &one, 1),
			 EFI_ACCESS_DENIED);
	assert_int_equal(sim_set(&s, MOR_VAR_LOCK, MOR_ATTRS, &zero, 1),
			 EFI_ACCESS_DENIED);
	assert_int_equal(sim_set(&s, MOR_VAR_LOCK, MOR_ATTRS, wrong, 8),
			 EFI_ACCESS_DENIED);
	assert_int_equal(s.lock, MOR_LOCK_LOCKED);
	assert_int_equal(sim_set(&s, MOR_VAR_LOCK, MOR_ATTRS, key, 8),
			 EFI_ACCESS_DENIED);           /* until reset */
	assert_int_equal(sim_set(&s, MOR_VAR_LOCK, MOR_ATTRS, key, 3),
			 EFI_INVALID_PARAMETER);
	s = (struct sim){ .rev = 1 };
	assert_int_equal(sim_set(&s, MOR_VAR_LOCK, MOR_ATTRS, key, 8),
			 EFI_INVALID_PARAMETER);
	assert_int_equal(sim_set(&s, MOR_VAR_LOCK, MOR_ATTRS, &one, 1), 0);
	assert_int_equal(s.lock, MOR_LOCK_LOCKED);
}

static void test_probe_rev2(void **state)
{
	struct sim s = { .rev = 2, .mor = MOR_CLEAR_MEMORY };
	struct rep p;
	struct fw_report *r = rep_init(&p);

	(void)state;
	assert_int_equal(probe(&s, r), MOR_REV_2);
	assert_int_equal(r->count, 0);
	/* Left as found: unlocked, MOR unchanged, key gone. */
	assert_int_equal(s.lock, MOR_LOCK_UNLOCKED);
	assert_int_equal(s.mor, MOR_CLEAR_MEMORY);
	assert_false(s.has_key);
	assert_int_equal(s.lock_sets, 2);
	assert_int_equal(s.lock_sets_1byte, 0);
	assert_int_equal(s.mor_sets, 1);
}

/* Revision 1: one 8-byte attempt, refused; never a 1-byte lock write. */
static void test_probe_rev1(void **state)
{
	struct sim s = { .rev = 1 };
	struct rep p;
	struct fw_report *r = rep_init(&p);

	(void)state;
	assert_int_equal(probe(&s, r), MOR_REV_1);
	assert_true(rep_has(r, "MOR-P1"));
	assert_int_equal(fw_report_worst(r), FW_SEV_FAIL);
	assert_int_equal(s.lock, MOR_LOCK_UNLOCKED);
	assert_int_equal(s.lock_sets, 1);
	assert_int_equal(s.lock_sets_1byte, 0);
	assert_int_equal(s.mor_sets, 0);
}

static void test_probe_not_run_when_locked(void **state)
{
	struct sim s = { .rev = 2, .lock = MOR_LOCK_LOCKED };
	struct rep p;
	struct fw_report *r = rep_init(&p);

	(void)state;
	assert_int_equal(probe(&s, r), MOR_REV_UNKNOWN);
	assert_true(rep_has(r, "MOR-P3"));
	assert_int_equal(s.lock_sets + s.mor_sets, 0);
}

static void test_probe_absent(void **state)
{
	struct sim s = { .rev = 0 };
	struct rep p;
	struct fw_report *r = rep_init(&p);

	(void)state;
	assert_int_equal(probe(&s, r), MOR_REV_UNKNOWN);
	assert_true(rep_has(r, "MOR-L1"));
}

static void test_probe_mor_writable(void **state)
{
	struct sim s = { .rev = 2, .mor_writable_when_locked = true };
	struct rep p;
	struct fw_report *r = rep_init(&p);

	(void)state;
	assert_int_equal(probe(&s, r), MOR_REV_UNKNOWN);
	assert_true(rep_has(r, "MOR-P2"));
	assert_int_equal(s.lock, MOR_LOCK_UNLOCKED); /* the probe unlocked */
}

static void test_probe_key_does_not_unlock(void **state)
{
	struct sim s = { .rev = 2, .key_never_unlocks = true };
	struct rep p;
	struct fw_report *r = rep_init(&p);

	(void)state;
	assert_int_equal(probe(&s, r), MOR_REV_UNKNOWN);
	assert_true(rep_has(r, "MOR-P2"));
}

static void test_probe_bad_args(void **state)
{
	struct mor_ops ops = { 0 };
	enum mor_rev rev;

	(void)state;
	assert_int_equal(mor_probe(NULL, key, &rev, NULL), FW_EINVAL);
	assert_int_equal(mor_probe(&ops, key, &rev, NULL), FW_EINVAL);
}

static void test_parse_efivarfs(void **state)
{
	static const uint8_t good[] = { 7, 0, 0, 0, 0x11 };
	static const uint8_t lock_key[] = { 7, 0, 0, 0, 0x02 };
	static const uint8_t shortf[] = { 7, 0 };
	static const uint8_t attr_only[] = { 7, 0, 0, 0 };
	struct rep p;
	struct fw_report *r = rep_init(&p);
	struct mor m;

	(void)state;
	assert_int_equal(mor_parse(good, sizeof(good), lock_key,
				   sizeof(lock_key), &m, r), 0);
	assert_int_equal(fw_report_worst(r), FW_SEV_NOTE);
	assert_true(rep_has(r, "MOR-L5"));
	assert_int_equal(m.control.value, 0x11);
	assert_int_equal(m.lock.value, 2);
	assert_int_equal(m.lock.attrs, MOR_ATTRS);
	rep_init(&p);
	mor_parse(shortf, sizeof(shortf), attr_only, sizeof(attr_only), &m, r);
	assert_true(rep_has(r, "MOR-C3"));
	assert_true(rep_has(r, "MOR-L3"));
	assert_false(rep_has(r, "MOR-C4"));
	rep_init(&p);
	mor_parse(NULL, 0, NULL, 0, &m, r);
	assert_true(rep_has(r, "MOR-C1"));
	assert_true(rep_has(r, "MOR-L1"));
	assert_false(m.lock.present);
	assert_int_equal(mor_parse(good, 5, good, 5, NULL, r), FW_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_double_semantics),
		cmocka_unit_test(test_probe_rev2),
		cmocka_unit_test(test_probe_rev1),
		cmocka_unit_test(test_probe_not_run_when_locked),
		cmocka_unit_test(test_probe_absent),
		cmocka_unit_test(test_probe_mor_writable),
		cmocka_unit_test(test_probe_key_does_not_unlock),
		cmocka_unit_test(test_probe_bad_args),
		cmocka_unit_test(test_parse_efivarfs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
