// SPDX-License-Identifier: MIT
/*
 * Unit tests: hv/arch/x86/apic_icr.c, ICR decoding/encoding and the
 * INIT/SIPI planner. ICR values are the ones the guests send on this test
 * bed (docs/testbed.md "Multiple CPUs"): Linux 6.1 wakes an AP with INIT
 * assert 0xc500, INIT de-assert 0x8500 and two SIPIs 0x0699, destination
 * in ICR_HI[31:24]; OVMF sends INIT-SIPI-SIPI to all excluding self,
 * 0x000c4500 and 0x000c46xx.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/apic.h"

#define TRAMP 0x9f /* trampoline page 0x9f000 (docs/testbed.md) */
#define MAX_ACTS 8

/* Linux 6.1 (arch/x86/kernel/smpboot.c wakeup_secondary_cpu_via_init) */
#define LINUX_INIT     0x0000c500u
#define LINUX_DEASSERT 0x00008500u
#define LINUX_SIPI     0x00000699u /* trampoline at 0x99000 */
/* OVMF (UefiCpuPkg MpInitLib: SendInitSipiSipiAllExcludingSelf) */
#define OVMF_INIT      0x000c4500u
#define OVMF_SIPI      0x000c469fu

static struct apic_act acts[MAX_ACTS];

static void xapic(uint32_t lo, uint32_t dest, struct apic_icr *icr)
{
	apic_icr_from_xapic(lo, dest << 24, icr);
}

/* --- decode / encode --------------------------------------------------- */

static void test_xapic_linux(void **state)
{
	struct apic_icr icr;

	(void)state;
	apic_icr_from_xapic(LINUX_INIT, 0x02000000, &icr);
	assert_int_equal(icr.dm, APIC_DM_INIT);
	assert_int_equal(icr.vector, 0);
	assert_int_equal(icr.shorthand, APIC_SH_NONE);
	assert_false(icr.logical);
	assert_true(icr.level_assert);
	assert_true(icr.level_trigger);
	assert_false(icr.x2apic);
	assert_int_equal(icr.dest, 2);
	assert_int_equal(apic_icr_xapic_lo(&icr), LINUX_INIT);
	assert_int_equal(apic_icr_xapic_hi(&icr), 0x02000000);

	apic_icr_from_xapic(LINUX_DEASSERT, 0x02000000, &icr);
	assert_int_equal(icr.dm, APIC_DM_INIT);
	assert_false(icr.level_assert);
	assert_true(icr.level_trigger);
	assert_int_equal(apic_icr_xapic_lo(&icr), LINUX_DEASSERT);

	apic_icr_from_xapic(LINUX_SIPI, 0x02000000, &icr);
	assert_int_equal(icr.dm, APIC_DM_SIPI);
	assert_int_equal(icr.vector, 0x99);
	assert_false(icr.level_assert);
	assert_false(icr.level_trigger);
	assert_int_equal(icr.dest, 2);
	assert_int_equal(apic_icr_xapic_lo(&icr), LINUX_SIPI);
	assert_int_equal(apic_icr_xapic_hi(&icr), 0x02000000);
	assert_int_equal(apic_icr_x2apic(&icr), 0x0000000200000699ull);
}

static void test_xapic_ovmf(void **state)
{
	struct apic_icr icr;

	(void)state;
	apic_icr_from_xapic(OVMF_INIT, 0, &icr);
	assert_int_equal(icr.dm, APIC_DM_INIT);
	assert_int_equal(icr.shorthand, APIC_SH_OTHERS);
	assert_true(icr.level_assert);
	assert_false(icr.level_trigger);
	assert_int_equal(apic_icr_xapic_lo(&icr), OVMF_INIT);
	assert_int_equal(apic_icr_xapic_hi(&icr), 0);

	apic_icr_from_xapic(OVMF_SIPI, 0, &icr);
	assert_int_equal(icr.dm, APIC_DM_SIPI);
	assert_int_equal(icr.vector, 0x9f);
	assert_int_equal(icr.shorthand, APIC_SH_OTHERS);
	assert_int_equal(apic_icr_xapic_lo(&icr), OVMF_SIPI);
}

/* Every defined bit round-trips on its own; delivery status (12, read
 * only) and the reserved bits are dropped. */
static void test_xapic_bits(void **state)
{
	static const uint32_t defined = 0x000ccfff;
	struct apic_icr icr;
	unsigned int bit;
	uint32_t lo;

	(void)state;
	for (bit = 0; bit < 32; bit++) {
		lo = 1u << bit;
		apic_icr_from_xapic(lo, 0, &icr);
		assert_int_equal(apic_icr_xapic_lo(&icr), lo & defined);
	}
	apic_icr_from_xapic(0xffffffff, 0xffffffff, &icr);
	assert_int_equal(icr.dest, 0xff);
	assert_int_equal(icr.dm, 7);
	assert_int_equal(icr.vector, 0xff);
	assert_int_equal(icr.shorthand, APIC_SH_OTHERS);
	assert_true(icr.logical && icr.level_assert && icr.level_trigger);
	assert_int_equal(apic_icr_xapic_lo(&icr), defined);
	assert_int_equal(apic_icr_xapic_hi(&icr), 0xff000000);
	apic_icr_from_xapic(0x4500, 0x00ffffff, &icr); /* ICR_HI[23:0] reserved */
	assert_int_equal(icr.dest, 0);
}

static void test_x2apic(void **state)
{
	struct apic_icr icr;

	(void)state;
	/* Linux 6.1 x2APIC: apic_icr_write(0xc500, apicid) = one WRMSR 0x830 */
	apic_icr_from_x2apic(0x00000100ull << 32 | LINUX_INIT, &icr);
	assert_true(icr.x2apic);
	assert_int_equal(icr.dm, APIC_DM_INIT);
	assert_true(icr.level_assert && icr.level_trigger);
	assert_int_equal(icr.dest, 0x100);
	assert_int_equal(apic_icr_x2apic(&icr), 0x00000100ull << 32 | LINUX_INIT);
	/* 32-bit destination; the xAPIC form keeps its low 8 bits only */
	apic_icr_from_x2apic(0x12345678ull << 32 | LINUX_SIPI, &icr);
	assert_int_equal(icr.dest, 0x12345678);
	assert_int_equal(icr.vector, 0x99);
	assert_int_equal(apic_icr_x2apic(&icr), 0x12345678ull << 32 | LINUX_SIPI);
	assert_int_equal(apic_icr_xapic_lo(&icr), LINUX_SIPI);
	assert_int_equal(apic_icr_xapic_hi(&icr), 0x78000000);
	/* x2APIC has no delivery status; reserved bits 31:20 dropped */
	apic_icr_from_x2apic(0xffffffff00000000ull | 0xfff01000u | OVMF_INIT, &icr);
	assert_int_equal(icr.dest, 0xffffffff);
	assert_int_equal(apic_icr_x2apic(&icr), 0xffffffff00000000ull | OVMF_INIT);
	apic_icr_from_xapic(LINUX_INIT, 0, &icr);
	assert_false(icr.x2apic);
}

/* --- the planner ------------------------------------------------------- */

static bool icr_equal(const struct apic_icr *a, const struct apic_icr *b)
{
	return a->vector == b->vector && a->dm == b->dm &&
	       a->shorthand == b->shorthand && a->logical == b->logical &&
	       a->level_assert == b->level_assert &&
	       a->level_trigger == b->level_trigger &&
	       a->x2apic == b->x2apic && a->dest == b->dest;
}

static void set_slots(struct ap_slot *s, unsigned int n, const uint32_t *ids,
		      const uint8_t *states)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		s[i] = (struct ap_slot){ ids[i], states[i], 0 };
}

static void expect_states(const struct ap_slot *s, unsigned int n,
			  const uint8_t *states)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (s[i].state != states[i])
			print_error("slot %u: state %u, want %u\n", i,
				    s[i].state, states[i]);
		assert_int_equal(s[i].state, states[i]);
	}
}

/* One unicast action: kind, slot, the ICR it carries in xAPIC form. */
static void expect_act(const struct apic_act *a, uint8_t kind,
		       uint32_t slot, uint32_t lo, uint32_t dest)
{
	assert_int_equal(a->kind, kind);
	assert_int_equal(a->slot, slot);
	assert_int_equal(apic_icr_xapic_lo(&a->icr), lo);
	assert_int_equal(a->icr.dest, dest);
	assert_int_equal(a->icr.shorthand, APIC_SH_NONE);
	assert_false(a->icr.logical);
}

static int plan(struct ap_slot *s, unsigned int n, unsigned int self,
		uint32_t lo, uint32_t dest)
{
	struct apic_icr icr;

	xapic(lo, dest, &icr);
	memset(acts, 0x5a, sizeof(acts));
	return apic_icr_plan(s, n, self, &icr, TRAMP, acts, MAX_ACTS);
}

/* Linux brings CPU 1 of 4 up (APIC IDs 0, 2, 4, 6, so that index and ID
 * differ): the INIT goes through, the first SIPI goes to the trampoline,
 * the second is dropped. */
static void test_linux_bringup_native(void **state)
{
	static const uint32_t ids[] = { 0, 2, 4, 6 };
	static const uint8_t before[] = { AP_VIRT, AP_NATIVE, AP_NATIVE, AP_NATIVE };
	static const uint8_t init[] = { AP_VIRT, AP_NATIVE_INIT, AP_NATIVE, AP_NATIVE };
	static const uint8_t start[] = { AP_VIRT, AP_STARTING, AP_NATIVE, AP_NATIVE };
	struct ap_slot s[4];

	(void)state;
	set_slots(s, 4, ids, before);
	assert_int_equal(plan(s, 4, 0, LINUX_INIT, 2), 1);
	expect_act(&acts[0], APIC_ACT_SEND, 1, LINUX_INIT, 2);
	assert_int_equal(apic_icr_xapic_hi(&acts[0].icr), 0x02000000);
	expect_states(s, 4, init);

	assert_int_equal(plan(s, 4, 0, LINUX_DEASSERT, 2), 1);
	expect_act(&acts[0], APIC_ACT_SEND, 1, LINUX_DEASSERT, 2);
	expect_states(s, 4, init);

	assert_int_equal(plan(s, 4, 0, LINUX_SIPI, 2), 1);
	expect_act(&acts[0], APIC_ACT_SEND, 1, 0x0600 | TRAMP, 2);
	expect_states(s, 4, start);
	assert_int_equal(s[1].sipi_vector, 0x99);

	assert_int_equal(plan(s, 4, 0, LINUX_SIPI, 2), 0);
	expect_states(s, 4, start);
	assert_int_equal(s[1].sipi_vector, 0x99);
}

/* CPU 1 offline and online again once it runs as a guest: nothing
 * physical reaches it. The request comes from CPU 2 this time. */
static void test_linux_bringup_virt(void **state)
{
	static const uint32_t ids[] = { 0, 2, 4, 6 };
	static const uint8_t before[] = { AP_VIRT, AP_VIRT, AP_VIRT, AP_NATIVE };
	static const uint8_t init[] = { AP_VIRT, AP_VIRT_INIT, AP_VIRT, AP_NATIVE };
	static const uint8_t sipi[] = { AP_VIRT, AP_VIRT_SIPI, AP_VIRT, AP_NATIVE };
	struct ap_slot s[4];

	(void)state;
	set_slots(s, 4, ids, before);
	assert_int_equal(plan(s, 4, 2, LINUX_INIT, 2), 1);
	expect_act(&acts[0], APIC_ACT_EMUL_INIT, 1, LINUX_INIT, 2);
	expect_states(s, 4, init);

	assert_int_equal(plan(s, 4, 2, LINUX_DEASSERT, 2), 0);
	expect_states(s, 4, init);

	assert_int_equal(plan(s, 4, 2, LINUX_SIPI, 2), 1);
	expect_act(&acts[0], APIC_ACT_EMUL_SIPI, 1, LINUX_SIPI, 2);
	expect_states(s, 4, sipi);
	assert_int_equal(s[1].sipi_vector, 0x99);

	assert_int_equal(plan(s, 4, 2, LINUX_SIPI, 2), 0);
	expect_states(s, 4, sipi);

	/* an INIT before the runtime resumed it: emulated again */
	assert_int_equal(plan(s, 4, 2, LINUX_INIT, 2), 1);
	expect_act(&acts[0], APIC_ACT_EMUL_INIT, 1, LINUX_INIT, 2);
	expect_states(s, 4, init);
}

/* INIT to a CPU still in the trampoline (STARTING) is passed through;
 * SIPI to a running guest is ignored; edge INIT with level 0 is an INIT. */
static void test_other_transitions(void **state)
{
	static const uint32_t ids[] = { 0, 1, 2 };
	static const uint8_t before[] = { AP_VIRT, AP_STARTING, AP_VIRT };
	static const uint8_t after[] = { AP_VIRT, AP_NATIVE_INIT, AP_VIRT };
	static const uint8_t edge[] = { AP_VIRT, AP_NATIVE_INIT, AP_VIRT_INIT };
	struct ap_slot s[3];

	(void)state;
	set_slots(s, 3, ids, before);
	s[1].sipi_vector = 0x99;
	assert_int_equal(plan(s, 3, 0, LINUX_SIPI, 1), 0); /* STARTING */
	assert_int_equal(plan(s, 3, 0, LINUX_SIPI, 2), 0); /* VIRT */
	expect_states(s, 3, before);
	assert_int_equal(s[1].sipi_vector, 0x99);
	assert_int_equal(plan(s, 3, 0, LINUX_DEASSERT, 1), 1); /* STARTING */
	expect_act(&acts[0], APIC_ACT_SEND, 1, LINUX_DEASSERT, 1);
	expect_states(s, 3, before);
	assert_int_equal(plan(s, 3, 0, LINUX_INIT, 1), 1);
	expect_act(&acts[0], APIC_ACT_SEND, 1, LINUX_INIT, 1);
	expect_states(s, 3, after);
	assert_int_equal(plan(s, 3, 0, 0x0500, 2), 1);
	expect_act(&acts[0], APIC_ACT_EMUL_INIT, 2, 0x0500, 2);
	expect_states(s, 3, edge);
}

/* OVMF's INIT-SIPI-SIPI to all excluding self, with CPUs of each kind:
 * unicast sends to native ones, emulation for virtualized ones. */
static void test_ovmf_broadcast_mixed(void **state)
{
	static const uint32_t ids[] = { 0, 1, 2, 3 };
	static const uint8_t before[] = { AP_VIRT, AP_NATIVE, AP_VIRT, AP_NATIVE_INIT };
	static const uint8_t init[] = { AP_VIRT, AP_NATIVE_INIT, AP_VIRT_INIT,
					AP_NATIVE_INIT };
	static const uint8_t sipi[] = { AP_VIRT, AP_STARTING, AP_VIRT_SIPI, AP_STARTING };
	struct ap_slot s[4];

	(void)state;
	set_slots(s, 4, ids, before);
	assert_int_equal(plan(s, 4, 0, OVMF_INIT, 0), 3);
	expect_act(&acts[0], APIC_ACT_SEND, 1, 0x4500, 1);
	expect_act(&acts[1], APIC_ACT_EMUL_INIT, 2, 0x4500, 2);
	expect_act(&acts[2], APIC_ACT_SEND, 3, 0x4500, 3);
	expect_states(s, 4, init);

	assert_int_equal(plan(s, 4, 0, OVMF_SIPI, 0), 3);
	expect_act(&acts[0], APIC_ACT_SEND, 1, 0x4600 | TRAMP, 1);
	expect_act(&acts[1], APIC_ACT_EMUL_SIPI, 2, 0x469f, 2);
	expect_act(&acts[2], APIC_ACT_SEND, 3, 0x4600 | TRAMP, 3);
	expect_states(s, 4, sipi);
	assert_int_equal(s[1].sipi_vector, 0x9f);
	assert_int_equal(s[2].sipi_vector, 0x9f);
	assert_int_equal(s[3].sipi_vector, 0x9f);

	assert_int_equal(plan(s, 4, 0, OVMF_SIPI, 0), 0);
	expect_states(s, 4, sipi);

	/* from an AP (self 2): excludes 2, includes the boot CPU */
	set_slots(s, 4, ids, before);
	assert_int_equal(plan(s, 4, 2, OVMF_INIT, 0), 3);
	expect_act(&acts[0], APIC_ACT_EMUL_INIT, 0, 0x4500, 0);
	expect_act(&acts[1], APIC_ACT_SEND, 1, 0x4500, 1);
	expect_act(&acts[2], APIC_ACT_SEND, 3, 0x4500, 3);
	assert_int_equal(s[2].state, AP_VIRT);
}

/* Shorthand all-including-self, self, and the physical broadcast ID
 * 0xff; a shorthand ignores the destination mode (logical here). */
static void test_all_self_broadcast(void **state)
{
	static const uint32_t ids[] = { 0, 1, 2 };
	static const uint8_t before[] = { AP_VIRT, AP_NATIVE, AP_VIRT };
	static const uint8_t all[] = { AP_VIRT_INIT, AP_NATIVE_INIT, AP_VIRT_INIT };
	static const uint8_t self[] = { AP_VIRT, AP_NATIVE, AP_VIRT_INIT };
	struct ap_slot s[3];

	(void)state;
	set_slots(s, 3, ids, before);
	assert_int_equal(plan(s, 3, 0, 0x00084500, 0), 3); /* ALL */
	expect_act(&acts[0], APIC_ACT_EMUL_INIT, 0, 0x4500, 0);
	expect_act(&acts[1], APIC_ACT_SEND, 1, 0x4500, 1);
	expect_act(&acts[2], APIC_ACT_EMUL_INIT, 2, 0x4500, 2);
	expect_states(s, 3, all);

	set_slots(s, 3, ids, before);
	assert_int_equal(plan(s, 3, 2, 0x00044d00, 0x55), 1); /* SELF, logical */
	expect_act(&acts[0], APIC_ACT_EMUL_INIT, 2, 0x4500, 2);
	expect_states(s, 3, self);
	assert_int_equal(plan(s, 3, 2, 0x00044642, 0), 1); /* SIPI to SELF */
	expect_act(&acts[0], APIC_ACT_EMUL_SIPI, 2, 0x4642, 2);
	assert_int_equal(s[2].sipi_vector, 0x42);

	set_slots(s, 3, ids, before);
	assert_int_equal(plan(s, 3, 1, 0x000c4d00, 0), 2); /* OTHERS, logical */
	expect_act(&acts[0], APIC_ACT_EMUL_INIT, 0, 0x4500, 0);
	expect_act(&acts[1], APIC_ACT_EMUL_INIT, 2, 0x4500, 2);

	set_slots(s, 3, ids, before);
	assert_int_equal(plan(s, 3, 1, 0x4500, 0xff), 3); /* physical 0xff */
	expect_act(&acts[0], APIC_ACT_EMUL_INIT, 0, 0x4500, 0);
	expect_act(&acts[1], APIC_ACT_SEND, 1, 0x4500, 1);
	expect_act(&acts[2], APIC_ACT_EMUL_INIT, 2, 0x4500, 2);
	expect_states(s, 3, all);

	/* OTHERS on a one-CPU machine names nobody */
	set_slots(s, 1, ids, before);
	assert_int_equal(plan(s, 1, 0, OVMF_INIT, 0), 0);
	assert_int_equal(s[0].state, AP_VIRT);
}

/* Errors leave the table (and acts) as they were. */
static void test_errors_change_nothing(void **state)
{
	static const uint32_t ids[] = { 0, 2, 4 };
	static const uint8_t before[] = { AP_VIRT, AP_NATIVE, AP_VIRT };
	struct ap_slot s[3], copy[3];
	struct apic_act acts_copy[MAX_ACTS];
	struct apic_icr icr;

	(void)state;
	set_slots(s, 3, ids, before);
	s[1].sipi_vector = 0x12;
	memcpy(copy, s, sizeof(s));

	assert_int_equal(plan(s, 3, 0, LINUX_INIT, 3), APIC_PLAN_E_UNKNOWN);
	assert_int_equal(plan(s, 3, 0, LINUX_SIPI, 7), APIC_PLAN_E_UNKNOWN);
	assert_int_equal(plan(s, 3, 0, 0x4d00, 2), APIC_PLAN_E_LOGICAL);
	assert_int_equal(plan(s, 3, 0, 0x4e99, 0xff), APIC_PLAN_E_LOGICAL);
	assert_int_equal(plan(s, 3, 3, 0x00044500, 0), APIC_PLAN_E_UNKNOWN);
	memcpy(acts_copy, acts, sizeof(acts));
	assert_memory_equal(s, copy, sizeof(s));
	/* nothing was written to acts either */
	assert_int_equal(plan(s, 3, 0, LINUX_INIT, 3), APIC_PLAN_E_UNKNOWN);
	assert_memory_equal(acts, acts_copy, sizeof(acts));

	/* the x2APIC broadcast ID is not the xAPIC one and vice versa */
	apic_icr_from_x2apic(0x000000ffull << 32 | LINUX_INIT, &icr);
	assert_int_equal(apic_icr_plan(s, 3, 0, &icr, TRAMP, acts, MAX_ACTS),
			 APIC_PLAN_E_UNKNOWN);
	assert_memory_equal(s, copy, sizeof(s));
}

/* Anything but INIT/SIPI is one SEND of the write as it was. */
static void test_pass_through(void **state)
{
	static const uint32_t ids[] = { 0, 1 };
	static const uint8_t before[] = { AP_VIRT, AP_VIRT_INIT };
	static const struct { uint32_t lo, dest; } w[] = {
		{ 0x000000fd, 1 },  /* fixed, physical */
		{ 0x000c00fd, 0 },  /* fixed, all but self */
		{ 0x000800fb, 0 },  /* fixed, all */
		{ 0x000400f7, 0 },  /* fixed, self */
		{ 0x00000400, 1 },  /* NMI */
		{ 0x000c0400, 0 },  /* NMI, all but self (NMI watchdog/backtrace) */
		{ 0x00000200, 1 },  /* SMI */
		{ 0x00000931, 3 },  /* lowest priority, logical */
		{ 0x00004300, 1 },  /* delivery mode 3 (reserved) */
		{ 0x00004700, 9 },  /* delivery mode 7 (reserved), unknown ID */
	};
	struct ap_slot s[2], copy[2];
	struct apic_icr icr;
	unsigned int i;

	(void)state;
	set_slots(s, 2, ids, before);
	memcpy(copy, s, sizeof(s));
	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		xapic(w[i].lo, w[i].dest, &icr);
		memset(acts, 0x5a, sizeof(acts));
		assert_int_equal(apic_icr_plan(s, 2, 1, &icr, TRAMP, acts,
					       MAX_ACTS), 1);
		assert_int_equal(acts[0].kind, APIC_ACT_SEND);
		assert_int_equal(acts[0].slot, 1);
		assert_true(icr_equal(&acts[0].icr, &icr));
		assert_int_equal(apic_icr_xapic_lo(&acts[0].icr), w[i].lo);
		assert_int_equal(apic_icr_xapic_hi(&acts[0].icr), w[i].dest << 24);
		assert_memory_equal(s, copy, sizeof(s));
	}
	/* x2APIC keeps its 32-bit destination */
	apic_icr_from_x2apic(0xabcdef01ull << 32 | 0xfd, &icr);
	assert_int_equal(apic_icr_plan(s, 2, 0, &icr, TRAMP, acts, MAX_ACTS), 1);
	assert_int_equal(apic_icr_x2apic(&acts[0].icr), 0xabcdef01ull << 32 | 0xfd);
}

static void test_space(void **state)
{
	static const uint32_t ids[] = { 0, 1, 2, 3 };
	static const uint8_t before[] = { AP_VIRT, AP_NATIVE, AP_VIRT, AP_NATIVE };
	static const uint8_t mixed[] = { AP_VIRT, AP_STARTING, AP_VIRT_INIT, AP_STARTING };
	struct ap_slot s[4], copy[4];
	struct apic_icr icr;

	(void)state;
	set_slots(s, 4, ids, before);
	memcpy(copy, s, sizeof(s));
	xapic(OVMF_INIT, 0, &icr);
	assert_int_equal(apic_icr_plan(s, 4, 0, &icr, TRAMP, acts, 2),
			 APIC_PLAN_E_SPACE);
	assert_memory_equal(s, copy, sizeof(s));
	assert_int_equal(apic_icr_plan(s, 4, 0, &icr, TRAMP, acts, 3), 3);

	/* only targets that get an action count: one of three here */
	set_slots(s, 4, ids, mixed);
	xapic(OVMF_SIPI, 0, &icr);
	assert_int_equal(apic_icr_plan(s, 4, 0, &icr, TRAMP, acts, 0),
			 APIC_PLAN_E_SPACE);
	assert_int_equal(s[2].state, AP_VIRT_INIT);
	assert_int_equal(apic_icr_plan(s, 4, 0, &icr, TRAMP, acts, 1), 1);
	expect_act(&acts[0], APIC_ACT_EMUL_SIPI, 2, 0x469f, 2);

	/* pass-through needs one slot too */
	xapic(0xfd, 1, &icr);
	assert_int_equal(apic_icr_plan(s, 4, 0, &icr, TRAMP, acts, 0),
			 APIC_PLAN_E_SPACE);
}

/* The x2APIC path: 32-bit IDs (0x100 must not match ID 0 by its low
 * byte), broadcast 0xffffffff; actions keep the x2APIC form. */
static void test_x2apic_plan(void **state)
{
	static const uint32_t ids[] = { 0, 0x100, 0x12345 };
	static const uint8_t before[] = { AP_VIRT, AP_NATIVE, AP_VIRT };
	static const uint8_t init[] = { AP_VIRT, AP_NATIVE_INIT, AP_VIRT };
	struct ap_slot s[3];
	struct apic_icr icr;

	(void)state;
	set_slots(s, 3, ids, before);
	apic_icr_from_x2apic(0x100ull << 32 | LINUX_INIT, &icr);
	assert_int_equal(apic_icr_plan(s, 3, 0, &icr, TRAMP, acts, MAX_ACTS), 1);
	assert_int_equal(acts[0].kind, APIC_ACT_SEND);
	assert_int_equal(acts[0].slot, 1);
	assert_true(acts[0].icr.x2apic);
	assert_int_equal(apic_icr_x2apic(&acts[0].icr), 0x100ull << 32 | LINUX_INIT);
	expect_states(s, 3, init);

	apic_icr_from_x2apic(0x100ull << 32 | LINUX_SIPI, &icr);
	assert_int_equal(apic_icr_plan(s, 3, 0, &icr, TRAMP, acts, MAX_ACTS), 1);
	assert_int_equal(apic_icr_x2apic(&acts[0].icr),
			 0x100ull << 32 | 0x0600 | TRAMP);
	assert_int_equal(s[1].state, AP_STARTING);
	assert_int_equal(s[1].sipi_vector, 0x99);

	set_slots(s, 3, ids, before);
	apic_icr_from_x2apic(0xffffffffull << 32 | 0x4500, &icr);
	assert_int_equal(apic_icr_plan(s, 3, 2, &icr, TRAMP, acts, MAX_ACTS), 3);
	assert_int_equal(apic_icr_x2apic(&acts[0].icr), 0x4500);
	assert_int_equal(acts[0].kind, APIC_ACT_EMUL_INIT);
	assert_int_equal(apic_icr_x2apic(&acts[1].icr), 0x100ull << 32 | 0x4500);
	assert_int_equal(acts[1].kind, APIC_ACT_SEND);
	assert_int_equal(apic_icr_x2apic(&acts[2].icr), 0x12345ull << 32 | 0x4500);
	assert_int_equal(acts[2].kind, APIC_ACT_EMUL_INIT);
	assert_true(acts[0].icr.x2apic && acts[1].icr.x2apic && acts[2].icr.x2apic);

	/* 0xff is an ordinary x2APIC ID */
	set_slots(s, 3, (const uint32_t[]){ 0, 0xff, 2 }, before);
	apic_icr_from_x2apic(0xffull << 32 | 0x4500, &icr);
	assert_int_equal(apic_icr_plan(s, 3, 0, &icr, TRAMP, acts, MAX_ACTS), 1);
	assert_int_equal(acts[0].slot, 1);
}

static void test_sx_init(void **state)
{
	static const uint8_t virt[] = { AP_VIRT, AP_VIRT_INIT, AP_VIRT_SIPI };
	static const uint8_t native[] = { AP_NATIVE, AP_NATIVE_INIT, AP_STARTING };
	struct ap_slot s[2];
	unsigned int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		s[0] = (struct ap_slot){ 0, AP_VIRT, 0 };
		s[1] = (struct ap_slot){ 7, virt[i], 0x42 };
		memset(acts, 0x5a, sizeof(acts));
		assert_int_equal(apic_sx_init_plan(s, 2, 1, acts, MAX_ACTS), 1);
		assert_int_equal(acts[0].kind, APIC_ACT_EMUL_INIT);
		assert_int_equal(acts[0].slot, 1);
		assert_int_equal(acts[0].icr.dm, APIC_DM_INIT);
		assert_int_equal(acts[0].icr.dest, 7);
		assert_int_equal(acts[0].icr.shorthand, APIC_SH_NONE);
		assert_int_equal(s[1].state, AP_VIRT_INIT);
		assert_int_equal(s[0].state, AP_VIRT);

		s[1].state = native[i];
		assert_int_equal(apic_sx_init_plan(s, 2, 1, acts, MAX_ACTS), 0);
		assert_int_equal(s[1].state, native[i]);
	}
	s[1].state = AP_VIRT;
	assert_int_equal(apic_sx_init_plan(s, 2, 1, acts, 0), APIC_PLAN_E_SPACE);
	assert_int_equal(s[1].state, AP_VIRT);
	assert_int_equal(apic_sx_init_plan(s, 2, 2, acts, MAX_ACTS),
			 APIC_PLAN_E_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xapic_linux),
		cmocka_unit_test(test_xapic_ovmf),
		cmocka_unit_test(test_xapic_bits),
		cmocka_unit_test(test_x2apic),
		cmocka_unit_test(test_linux_bringup_native),
		cmocka_unit_test(test_linux_bringup_virt),
		cmocka_unit_test(test_other_transitions),
		cmocka_unit_test(test_ovmf_broadcast_mixed),
		cmocka_unit_test(test_all_self_broadcast),
		cmocka_unit_test(test_errors_change_nothing),
		cmocka_unit_test(test_pass_through),
		cmocka_unit_test(test_space),
		cmocka_unit_test(test_x2apic_plan),
		cmocka_unit_test(test_sx_init),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
