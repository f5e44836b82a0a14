// SPDX-License-Identifier: MIT
/*
 * Secure intercepts in VTL1 (docs/secure-kernel.md "Protected memory";
 * the hypervisor's side is hv/arch/x86/svm/exits/intercept.c).
 *
 * Each CPU tells the hypervisor, before its first VTL_RETURN, where its
 * intercepts start (arch/x86/intercept.S), on which stack, and where the
 * message goes. An intercept may arrive while this CPU's VTL call is
 * suspended — holding the service lock — so the handler takes no lock:
 * it asks the protected-range table (lock-free reads) for a verdict and
 * leaves the event in a per-CPU ring, which the next VTL call (any CPU,
 * under the service lock) moves into the event log. A full ring counts
 * what it could not keep; the log then says how many were lost.
 */
#include <string.h>

#include "core/evlog.h"
#include "core/intercept.h"
#include "core/sk.h"
#include "services/protect.h"
#include "vbs/hypercall.h"

#define ICPT_STACK 8192u
#define ICPT_RING 32u /* power of two */

struct icpt_ring {
	struct vbs_sk_event ev[ICPT_RING];
	uint32_t head;        /* written by the CPU's intercepts */
	uint32_t tail;        /* written by the drain (service lock) */
	uint64_t lost;        /* events the full ring could not keep */
	uint64_t lost_told;   /* of those, already reported */
};

struct sk_protect sk_protect;
struct sk_modules sk_modules;

static struct vbs_vtl_intercept icpt_msg[SK_MAX_CPUS]
	__attribute__((aligned(64)));
static uint8_t icpt_stack[SK_MAX_CPUS][ICPT_STACK] __attribute__((aligned(16)));
static struct icpt_ring icpt_ring[SK_MAX_CPUS];

extern char sk_intercept_entry[];
uint64_t sk_intercept(const struct vbs_vtl_intercept *m, uint64_t cpu);

/* VBS_HC_SET_INTERCEPT_ENTRY (include/vbs/hypercall.h). */
int sk_intercept_setup(uint32_t cpu)
{
	uint64_t status, rbx, rcx, rdx;

	if (cpu >= SK_MAX_CPUS)
		return -1;
	rbx = (uint64_t)(uintptr_t)sk_intercept_entry;
	rcx = (uint64_t)(uintptr_t)(icpt_stack[cpu] + ICPT_STACK);
	rdx = (uint64_t)(uintptr_t)&icpt_msg[cpu];
	__asm__ volatile("vmmcall"
			 : "=a"(status), "+b"(rbx), "+c"(rcx), "+d"(rdx)
			 : "a"((uint64_t)VBS_HC_SET_INTERCEPT_ENTRY), "S"(0ull),
			   "D"(0ull)
			 : "memory");
	return status == VBS_HC_OK ? 0 : -1;
}

static void ring_put(struct icpt_ring *r, const struct vbs_vtl_intercept *m,
		     const struct sk_protect_verdict *v, const char *module)
{
	uint32_t head = r->head;
	struct vbs_sk_event *e;

	if (head - __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE) >= ICPT_RING) {
		r->lost++;
		return;
	}
	e = &r->ev[head % ICPT_RING];
	memset(e, 0, sizeof(*e));
	e->kind = v->event_kind;
	e->code = v->code;
	e->source = m->rip;
	e->arg = m->gpa;
	memcpy(e->detail, v->detail, sizeof(e->detail));
	if (module)
		memcpy(e->module, module, sizeof(e->module));
	__atomic_store_n(&r->head, head + 1, __ATOMIC_RELEASE);
}

uint64_t sk_intercept(const struct vbs_vtl_intercept *m, uint64_t cpu)
{
	struct vbs_vtl_intercept msg;
	struct sk_protect_verdict v;

	if (cpu >= SK_MAX_CPUS)
		return VBS_VTL_INTERCEPT_DENY;
	memcpy(&msg, m, sizeof(msg));
	sk_protect_decide(&sk_protect, &msg, &v);
	ring_put(&icpt_ring[cpu], &msg, &v,
		 sk_modules_lookup(&sk_modules, msg.rip));
	return v.action;
}

void sk_intercept_drain(struct sk_evlog *log, uint32_t ncpus)
{
	uint32_t cpu, tail, head;
	struct icpt_ring *r;
	uint64_t lost;

	for (cpu = 0; cpu < ncpus && cpu < SK_MAX_CPUS; cpu++) {
		r = &icpt_ring[cpu];
		head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
		for (tail = r->tail; tail != head; tail++) {
			const struct vbs_sk_event *e = &r->ev[tail % ICPT_RING];

			sk_evlog_add(log, e->kind, e->code, e->source, e->arg,
				     e->module, e->detail);
		}
		__atomic_store_n(&r->tail, tail, __ATOMIC_RELEASE);
		lost = __atomic_load_n(&r->lost, __ATOMIC_RELAXED);
		if (lost != r->lost_told) {
			sk_evlog_add(log, VBS_SK_EV_INFO, (int32_t)cpu, 0,
				     lost - r->lost_told, "sk",
				     "intercept events lost");
			r->lost_told = lost;
		}
	}
}
