// SPDX-License-Identifier: MIT
/*
 * Secure MOR [E-MOR, E-MORL, E-MORSMM, MS-MOR]: the two variables as
 * efivarfs gives them, and the revision-2 probe of readiness-spec §3 R7.
 */
#include "fw/mor.h"

#define EFIVARFS_ATTR_LEN 4u

/* L-VFS: an efivarfs file is a 4-byte LE attribute word, then the data. */
static void mor_decode(const uint8_t *buf, size_t len, struct mor_var *v)
{
	vbs_memset(v, 0, sizeof(*v));
	if (!buf)
		return;
	v->present = true;
	if (len < EFIVARFS_ATTR_LEN)
		return;
	v->attrs = le32(buf, 0);
	v->size = (uint32_t)(len - EFIVARFS_ATTR_LEN);
	if (len > EFIVARFS_ATTR_LEN)
		v->value = le8(buf, EFIVARFS_ATTR_LEN);
}

static void mor_control_rules(const struct mor_var *v, struct fw_report *r)
{
	if (!v->present) {
		fw_report_add(r, "MOR-C1", FW_SEV_FAIL, FW_NO_INDEX, 0,
			      "MemoryOverwriteRequestControl absent");
		return;
	}
	/* TCG PRAM §6: NV+BS+RT, 1 byte */
	if (v->attrs != MOR_ATTRS)
		fw_report_add(r, "MOR-C2", FW_SEV_FAIL, FW_NO_INDEX, v->attrs,
			      "MOR attributes are not NV|BS|RT");
	if (v->size != 1) {
		fw_report_add(r, "MOR-C3", FW_SEV_FAIL, FW_NO_INDEX, v->size,
			      "MOR data size is not 1");
		if (v->size == 0)
			return;
	}
	/* E-MOR: bit 0 ClearMemory, bit 4 DisableAutoDetect, others reserved */
	if (v->value & ~(MOR_CLEAR_MEMORY | MOR_DISABLE_AUTO_DETECT))
		fw_report_add(r, "MOR-C4", FW_SEV_FAIL, FW_NO_INDEX, v->value,
			      "MOR value has reserved bits");
}

static void mor_lock_rules(const struct mor_var *v, struct fw_report *r)
{
	if (!v->present) {
		fw_report_add(r, "MOR-L1", FW_SEV_FAIL, FW_NO_INDEX, 0,
			      "MemoryOverwriteRequestControlLock absent");
		return;
	}
	if (v->attrs != MOR_ATTRS)
		fw_report_add(r, "MOR-L2", FW_SEV_FAIL, FW_NO_INDEX, v->attrs,
			      "MOR lock attributes are not NV|BS|RT");
	if (v->size != 1) {
		fw_report_add(r, "MOR-L3", FW_SEV_FAIL, FW_NO_INDEX, v->size,
			      "MOR lock data size is not 1");
		if (v->size == 0)
			return;
	}
	/* E-MORL: Get returns 0x00 unlocked, 0x01 locked, 0x02 with key */
	if (v->value > MOR_LOCK_LOCKED_WITH_KEY)
		fw_report_add(r, "MOR-L4", FW_SEV_FAIL, FW_NO_INDEX, v->value,
			      "MOR lock value not 0x00/0x01/0x02");
	fw_report_add(r, "MOR-L5", FW_SEV_NOTE, FW_NO_INDEX, v->value,
		      "MOR lock present; revision 2 not verified");
}

int mor_parse(const uint8_t *control, size_t control_len,
	      const uint8_t *lock, size_t lock_len, struct mor *out,
	      struct fw_report *r)
{
	if (!out)
		return FW_EINVAL;
	mor_decode(control, control_len, &out->control);
	mor_decode(lock, lock_len, &out->lock);
	mor_control_rules(&out->control, r);
	mor_lock_rules(&out->lock, r);
	return 0;
}

/* Read a 1-byte variable; false when absent, unreadable or not 1 byte. */
static bool mor_get1(const struct mor_ops *ops, enum mor_var_id var,
		     uint8_t *value)
{
	uint8_t data[MOR_KEY_LEN];
	uint32_t attrs = 0;
	size_t size = 0;

	if (ops->get(ops->ctx, var, &attrs, data, sizeof(data), &size) ||
	    size != 1)
		return false;
	*value = data[0];
	return true;
}

static int mor_probe_fail(struct fw_report *r, uint64_t value,
			  const char *msg)
{
	fw_report_add(r, "MOR-P2", FW_SEV_FAIL, FW_NO_INDEX, value, msg);
	return 0;
}

/*
 * TCG PRAM §6.2 "MemoryOverwriteRequestControlLock" revision 2 and
 * E-MORSMM: an 8-byte key locks (reads 0x02), MOR writes are denied while
 * locked, the same key unlocks (reads 0x00).
 */
int mor_probe(const struct mor_ops *ops, const uint8_t key[MOR_KEY_LEN],
	      enum mor_rev *rev, struct fw_report *r)
{
	uint8_t lock, mor, mor_after;

	if (!ops || !ops->get || !ops->set || !key || !rev)
		return FW_EINVAL;
	*rev = MOR_REV_UNKNOWN;
	if (!mor_get1(ops, MOR_VAR_LOCK, &lock)) {
		fw_report_add(r, "MOR-L1", FW_SEV_FAIL, FW_NO_INDEX, 0,
			      "MemoryOverwriteRequestControlLock unreadable");
		return 0;
	}
	if (lock != MOR_LOCK_UNLOCKED) {
		fw_report_add(r, "MOR-P3", FW_SEV_NOTE, FW_NO_INDEX, lock,
			      "probe not run: MOR lock already set");
		return 0;
	}
	if (!mor_get1(ops, MOR_VAR_CONTROL, &mor)) {
		fw_report_add(r, "MOR-C1", FW_SEV_FAIL, FW_NO_INDEX, 0,
			      "MemoryOverwriteRequestControl unreadable");
		return 0;
	}
	/* Step 1: lock with the key. Judge by read-back, not by status. */
	ops->set(ops->ctx, MOR_VAR_LOCK, MOR_ATTRS, key, MOR_KEY_LEN);
	if (!mor_get1(ops, MOR_VAR_LOCK, &lock))
		return mor_probe_fail(r, 0, "MOR lock unreadable after key");
	if (lock == MOR_LOCK_UNLOCKED) {
		/* Revision 1 accepts only 1-byte writes: stop here. */
		*rev = MOR_REV_1;
		fw_report_add(r, "MOR-P1", FW_SEV_FAIL, FW_NO_INDEX, lock,
			      "MOR lock is revision 1 (8-byte key refused)");
		return 0;
	}
	if (lock != MOR_LOCK_LOCKED_WITH_KEY)
		return mor_probe_fail(r, lock, "key lock did not read 0x02");
	/* Step 2: while locked, MOR must refuse a write (same value). */
	if (ops->set(ops->ctx, MOR_VAR_CONTROL, MOR_ATTRS, &mor, 1) == 0) {
		/* Still unlock before reporting, the key is ours. */
		ops->set(ops->ctx, MOR_VAR_LOCK, MOR_ATTRS, key, MOR_KEY_LEN);
		return mor_probe_fail(r, mor, "MOR writable while locked");
	}
	if (!mor_get1(ops, MOR_VAR_CONTROL, &mor_after) || mor_after != mor) {
		ops->set(ops->ctx, MOR_VAR_LOCK, MOR_ATTRS, key, MOR_KEY_LEN);
		return mor_probe_fail(r, mor_after, "MOR changed while locked");
	}
	/* Step 3: the same key unlocks. */
	ops->set(ops->ctx, MOR_VAR_LOCK, MOR_ATTRS, key, MOR_KEY_LEN);
	if (!mor_get1(ops, MOR_VAR_LOCK, &lock) || lock != MOR_LOCK_UNLOCKED)
		return mor_probe_fail(r, lock, "key did not unlock MOR lock");
	*rev = MOR_REV_2;
	return 0;
}
