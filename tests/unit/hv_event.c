// SPDX-License-Identifier: MIT
/*
 * Unit tests: hv/arch/x86/event.c, an exception the hypervisor raises
 * while the CPU delivers another event. Every pair of classes (SDM3 Table
 * 6-5; APM2 §8.2.9) with the interrupted event of each type (APM2 §15.20:
 * external interrupt, NMI, exception, software interrupt).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/event.h"
#include "arch/x86/svm/vmcb.h"

#define V SVM_EVTINJ_VALID
#define EXC(vec) (V | SVM_EVTINJ_TYPE_EXC | (vec))
#define EXC_EC(vec, ec) (EXC(vec) | SVM_EVTINJ_EV | ((uint64_t)(ec) << 32))
#define INTR(vec) (V | SVM_EVTINJ_TYPE_INTR | (vec))
#define NMI (V | SVM_EVTINJ_TYPE_NMI | 2)
#define SOFT(vec) (V | SVM_EVTINJ_TYPE_SOFT | (vec))

#define GP0 EXC_EC(13, 0)
#define DF0 EXC_EC(8, 0)
#define UD EXC(6)
#define PF(ec) EXC_EC(14, ec)

static void plan_is(uint64_t interrupted, uint64_t raise,
		    enum hv_event_outcome outcome, uint64_t inject,
		    uint64_t keep)
{
	struct hv_event_plan p;

	memset(&p, 0xa5, sizeof(p));
	hv_event_plan(interrupted, raise, &p);
	assert_int_equal(p.outcome, outcome);
	assert_int_equal(p.inject, inject);
	assert_int_equal(p.keep, keep);
}

static void test_classes(void **state)
{
	static const unsigned int contributory[] = { 0, 10, 11, 12, 13, 21 };
	static const unsigned int benign[] = { 1, 3, 4, 5, 6, 7, 9, 16, 17,
					       18, 19, 28, 29, 30 };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(contributory) / sizeof(contributory[0]); i++)
		assert_int_equal(hv_event_class(EXC(contributory[i])),
				 HV_EVENT_CONTRIBUTORY);
	for (i = 0; i < sizeof(benign) / sizeof(benign[0]); i++)
		assert_int_equal(hv_event_class(EXC(benign[i])), HV_EVENT_BENIGN);
	assert_int_equal(hv_event_class(PF(2)), HV_EVENT_PAGE_FAULT);
	assert_int_equal(hv_event_class(EXC(20)), HV_EVENT_PAGE_FAULT);
	assert_int_equal(hv_event_class(DF0), HV_EVENT_DOUBLE_FAULT);
	/* Only type 3 has exception classes: vector 13 as an interrupt or
	 * INT 0x0d, vector 8 as INT 8, are benign. */
	assert_int_equal(hv_event_class(INTR(13)), HV_EVENT_BENIGN);
	assert_int_equal(hv_event_class(SOFT(13)), HV_EVENT_BENIGN);
	assert_int_equal(hv_event_class(SOFT(8)), HV_EVENT_BENIGN);
	assert_int_equal(hv_event_class(NMI), HV_EVENT_BENIGN);
	assert_int_equal(hv_event_class(13), HV_EVENT_BENIGN); /* not valid */
}

/* Nothing was being delivered: the exception as it is. */
static void test_no_event(void **state)
{
	(void)state;
	plan_is(0, GP0, HV_EVENT_INJECT, GP0, 0);
	plan_is(EXC_EC(13, 0) & ~V, GP0, HV_EVENT_INJECT, GP0, 0);
	plan_is(0, UD, HV_EVENT_INJECT, UD, 0);
}

/* Benign first (exceptions): serial, the first is not kept. */
static void test_benign_exception_first(void **state)
{
	static const uint64_t firsts[] = { EXC(1), EXC(3), EXC(4), UD, EXC(7),
					   EXC(16), EXC_EC(17, 0), EXC(18) };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(firsts) / sizeof(firsts[0]); i++) {
		plan_is(firsts[i], GP0, HV_EVENT_INJECT, GP0, 0);
		plan_is(firsts[i], PF(2), HV_EVENT_INJECT, PF(2), 0);
		plan_is(firsts[i], UD, HV_EVENT_INJECT, UD, 0);
	}
}

/* Software interrupts: serial, not kept (the INT n runs again). */
static void test_software_interrupt_first(void **state)
{
	(void)state;
	plan_is(SOFT(0x80), GP0, HV_EVENT_INJECT, GP0, 0);
	plan_is(SOFT(3), GP0, HV_EVENT_INJECT, GP0, 0);   /* INT3 */
	plan_is(SOFT(4), GP0, HV_EVENT_INJECT, GP0, 0);   /* INTO */
	plan_is(SOFT(13), GP0, HV_EVENT_INJECT, GP0, 0);  /* INT 0x0d */
	plan_is(SOFT(8), GP0, HV_EVENT_INJECT, GP0, 0);   /* INT 8 */
	plan_is(SOFT(0x80), PF(2), HV_EVENT_INJECT, PF(2), 0);
}

/* External interrupts and NMIs: serial, and kept for later. */
static void test_interrupt_and_nmi_first(void **state)
{
	(void)state;
	plan_is(INTR(0xec), GP0, HV_EVENT_INJECT, GP0, INTR(0xec));
	plan_is(INTR(0x20), PF(3), HV_EVENT_INJECT, PF(3), INTR(0x20));
	plan_is(INTR(13), GP0, HV_EVENT_INJECT, GP0, INTR(13));
	plan_is(INTR(8), GP0, HV_EVENT_INJECT, GP0, INTR(8));
	plan_is(NMI, GP0, HV_EVENT_INJECT, GP0, NMI);
	plan_is(NMI, UD, HV_EVENT_INJECT, UD, NMI);
	/* Kept without stray bits (an EV bit with an error code). */
	plan_is(INTR(0x30) | SVM_EVTINJ_EV | (5ull << 32), GP0,
		HV_EVENT_INJECT, GP0, INTR(0x30));
}

/* Contributory first: contributory second is #DF(0); #PF or benign
 * second is serial. */
static void test_contributory_first(void **state)
{
	static const uint64_t firsts[] = { EXC(0), EXC_EC(10, 0x18),
					   EXC_EC(11, 0x20), EXC_EC(12, 0),
					   EXC_EC(13, 0), EXC_EC(13, 0x10),
					   EXC_EC(21, 1) };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(firsts) / sizeof(firsts[0]); i++) {
		plan_is(firsts[i], GP0, HV_EVENT_INJECT, DF0, 0);
		plan_is(firsts[i], EXC_EC(12, 0), HV_EVENT_INJECT, DF0, 0);
		plan_is(firsts[i], EXC(0), HV_EVENT_INJECT, DF0, 0);
		plan_is(firsts[i], PF(2), HV_EVENT_INJECT, PF(2), 0);
		plan_is(firsts[i], UD, HV_EVENT_INJECT, UD, 0);
	}
}

/* Page fault first: contributory or page fault second is #DF(0). */
static void test_page_fault_first(void **state)
{
	(void)state;
	plan_is(PF(2), GP0, HV_EVENT_INJECT, DF0, 0);
	plan_is(PF(0), EXC_EC(11, 8), HV_EVENT_INJECT, DF0, 0);
	plan_is(PF(2), PF(3), HV_EVENT_INJECT, DF0, 0);
	plan_is(EXC(20), GP0, HV_EVENT_INJECT, DF0, 0);
	plan_is(PF(2), UD, HV_EVENT_INJECT, UD, 0);
	plan_is(PF(2), EXC(1), HV_EVENT_INJECT, EXC(1), 0);
}

/* #DF first: anything is a shutdown (triple fault). */
static void test_double_fault_first(void **state)
{
	(void)state;
	plan_is(DF0, GP0, HV_EVENT_SHUTDOWN, 0, 0);
	plan_is(DF0, PF(2), HV_EVENT_SHUTDOWN, 0, 0);
	plan_is(DF0, UD, HV_EVENT_SHUTDOWN, 0, 0);
	plan_is(EXC(8), GP0, HV_EVENT_SHUTDOWN, 0, 0);
}

/* The path the integration test drives (tests/integration/vtl1-event.sh):
 * #UD pushed onto a denied page → #GP(0); its push denied → #DF(0). */
static void test_ud_gp_df_chain(void **state)
{
	struct hv_event_plan p;

	(void)state;
	hv_event_plan(UD, GP0, &p);
	assert_int_equal(p.inject, GP0);
	hv_event_plan(p.inject, GP0, &p);
	assert_int_equal(p.inject, DF0);
	hv_event_plan(p.inject, GP0, &p);
	assert_int_equal(p.outcome, HV_EVENT_SHUTDOWN);
}

/* QEMU's EXITINTINFO: interrupts and NMIs as type 3, stale error codes. */
static void test_normalize(void **state)
{
	(void)state;
	assert_int_equal(hv_event_normalize(EXC(0xec)), INTR(0xec));
	assert_int_equal(hv_event_normalize(EXC(32)), INTR(32));
	assert_int_equal(hv_event_normalize(EXC(2)), NMI);
	assert_int_equal(hv_event_normalize(UD | (7ull << 32)), UD);
	assert_int_equal(hv_event_normalize(EXC(31)), EXC(31));
	assert_int_equal(hv_event_normalize(GP0 | (0x10ull << 32)),
			 EXC_EC(13, 0x10));
	assert_int_equal(hv_event_normalize(INTR(0x30)), INTR(0x30));
	assert_int_equal(hv_event_normalize(SOFT(0x80)), SOFT(0x80));
	assert_int_equal(hv_event_normalize(NMI), NMI);
	assert_int_equal(hv_event_normalize(EXC(6) & ~V), 0);
	/* So a QEMU-reported timer interrupt is kept. */
	plan_is(hv_event_normalize(EXC(0xec)), GP0, HV_EVENT_INJECT, GP0,
		INTR(0xec));
}

/* The generic re-injection after any exit during delivery (exit.c). */
static void test_reinject(void **state)
{
	(void)state;
	assert_int_equal(hv_event_reinject(0), 0);
	assert_int_equal(hv_event_reinject(EXC(6) & ~V), 0);
	/* QEMU's forms: an interrupt and an NMI as "exceptions", a stale
	 * error code without EV. */
	assert_int_equal(hv_event_reinject(EXC(0xec)), INTR(0xec));
	assert_int_equal(hv_event_reinject(EXC(2)), NMI);
	assert_int_equal(hv_event_reinject(EXC(6) | (7ull << 32)), UD);
	/* Architectural forms pass through. */
	assert_int_equal(hv_event_reinject(INTR(0x30)), INTR(0x30));
	assert_int_equal(hv_event_reinject(NMI), NMI);
	assert_int_equal(hv_event_reinject(PF(2)), PF(2));
	/* INT n / INT3 / INTO: not re-injected, the instruction runs again. */
	assert_int_equal(hv_event_reinject(SOFT(0x80)), 0);
	assert_int_equal(hv_event_reinject(SOFT(3)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_no_event),
		cmocka_unit_test(test_benign_exception_first),
		cmocka_unit_test(test_software_interrupt_first),
		cmocka_unit_test(test_interrupt_and_nmi_first),
		cmocka_unit_test(test_contributory_first),
		cmocka_unit_test(test_page_fault_first),
		cmocka_unit_test(test_double_fault_first),
		cmocka_unit_test(test_ud_gp_df_chain),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_reinject),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
