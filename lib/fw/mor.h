/* SPDX-License-Identifier: MIT */
/*
 * Secure MOR [E-MOR, E-MORL, E-MORSMM, MS-MOR; TCG "Platform Reset Attack
 * Mitigation Specification" §6 "MemoryOverwriteRequestControlLock"],
 * readiness R7.
 *
 * The variables are judged as Linux efivarfs gives them: a 4-byte
 * little-endian attribute word followed by the data. NULL = absent.
 *
 *   MOR-C1 fail  MemoryOverwriteRequestControl absent
 *   MOR-C2 fail  its attributes != NV|BS|RT (0x7)
 *   MOR-C3 fail  its data size != 1 (or file shorter than 4 bytes)
 *   MOR-C4 fail  its value has bits other than ClearMemory 0x01 and
 *                DisableAutoDetect 0x10
 *   MOR-L1 fail  MemoryOverwriteRequestControlLock absent
 *   MOR-L2 fail  its attributes != NV|BS|RT (0x7)
 *   MOR-L3 fail  its data size != 1
 *   MOR-L4 fail  its value not 0x00 / 0x01 / 0x02
 *   MOR-L5 note  lock present; revision 2 not verified (no probe run)
 * Probe (behavioural; mor_probe() against Get/SetVariable callbacks):
 *   MOR-P1 fail  revision 1 only: an 8-byte key is refused, lock stays 0x00
 *   MOR-P2 fail  the lock does not behave as revision 2 requires (key not
 *                taking, MOR writable while locked, key not unlocking)
 *   MOR-P3 note  probe not run: lock is not 0x00 (already locked)
 */
#ifndef VBS_LIB_FW_MOR_H
#define VBS_LIB_FW_MOR_H

#include "fw/acpi.h"   /* FW_E* error codes */

/* e20939be-32d4-41be-a150-897f85d49829 */
#define MOR_CONTROL_NAME "MemoryOverwriteRequestControl"
#define MOR_CONTROL_GUID "e20939be-32d4-41be-a150-897f85d49829"
/* bb983ccf-151d-40e1-a07b-4a17be168292 */
#define MOR_LOCK_NAME "MemoryOverwriteRequestControlLock"
#define MOR_LOCK_GUID "bb983ccf-151d-40e1-a07b-4a17be168292"

/* UEFI 2.10 §8.2 "Variable Services" attributes [E-MP] */
#define EFI_VARIABLE_NON_VOLATILE 0x1u
#define EFI_VARIABLE_BOOTSERVICE_ACCESS 0x2u
#define EFI_VARIABLE_RUNTIME_ACCESS 0x4u
#define MOR_ATTRS 0x7u

#define MOR_CLEAR_MEMORY 0x01u
#define MOR_DISABLE_AUTO_DETECT 0x10u

#define MOR_LOCK_UNLOCKED 0x00u
#define MOR_LOCK_LOCKED 0x01u          /* locked without key */
#define MOR_LOCK_LOCKED_WITH_KEY 0x02u
#define MOR_KEY_LEN 8u

struct mor_var {
	bool present;
	uint32_t attrs;
	uint32_t size;     /* data bytes after the attribute word */
	uint8_t value;     /* first data byte (0 if none) */
};

struct mor {
	struct mor_var control;
	struct mor_var lock;
};

/* Judge both efivarfs files. Returns 0 (see findings). */
int mor_parse(const uint8_t *control, size_t control_len,
	      const uint8_t *lock, size_t lock_len, struct mor *out,
	      struct fw_report *r);

/* Variables the probe touches. */
enum mor_var_id { MOR_VAR_CONTROL = 0, MOR_VAR_LOCK = 1 };

/*
 * Get/SetVariable as the caller can do them (UEFI runtime services, or
 * efivarfs). get: fill data (up to cap) and *size, *attrs; return 0, or
 * non-zero when absent/unreadable. set: write data with attrs MOR_ATTRS;
 * return 0 on success, non-zero on refusal. Refusal reasons are not
 * trusted (Linux maps INVALID_PARAMETER and ACCESS_DENIED both to
 * -EINVAL): the probe judges by reading back.
 */
struct mor_ops {
	void *ctx;
	int (*get)(void *ctx, enum mor_var_id var, uint32_t *attrs,
		   uint8_t *data, size_t cap, size_t *size);
	int (*set)(void *ctx, enum mor_var_id var, uint32_t attrs,
		   const uint8_t *data, size_t size);
};

enum mor_rev {
	MOR_REV_UNKNOWN = 0,  /* not probed, or the probe could not decide */
	MOR_REV_1 = 1,
	MOR_REV_2 = 2,
};

/*
 * The opt-in revision probe of readiness-spec §3 R7, only when the lock
 * reads 0x00: set the lock with key (8 random bytes from the caller) ->
 * must read back 0x02; rewrite MOR's current value -> must not change
 * anything and be refused; set the same key -> must read back 0x00.
 * An 8-byte write that is refused while the lock still reads 0x00 means
 * revision 1; the probe then stops (never writes 1 byte, never a wrong
 * key: a wrong key locks until reset). Returns 0 and *rev, or FW_EINVAL.
 */
int mor_probe(const struct mor_ops *ops, const uint8_t key[MOR_KEY_LEN],
	      enum mor_rev *rev, struct fw_report *r);

#endif
