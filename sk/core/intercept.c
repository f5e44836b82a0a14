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
 * under the service lock) moves into the event log, all CPUs' events in
 * the order they were decided. A full ring counts what it could not keep;
 * the log then says how many were lost.
 */
#include <string.h>

#include "core/evlog.h"
#include "core/intercept.h"
#include "core/paging.h"
#include "core/sk.h"
#include "services/protect.h"
#include "vbs/hypercall.h"

#define ICPT_RING 32u /* power of two */

struct icpt_ring {
	struct vbs_sk_event ev[ICPT_RING];
	uint64_t order[ICPT_RING]; /* each event's place among all CPUs' */
	uint32_t head;        /* written by the CPU's intercepts */
	uint32_t tail;        /* written by the drain (service lock) */
	uint64_t lost;        /* events the full ring could not keep */
	uint64_t lost_told;   /* of those, already reported */
};

struct sk_protect sk_protect;
struct sk_modules sk_modules;

static struct vbs_vtl_intercept icpt_msg[SK_MAX_CPUS]
	__attribute__((aligned(64)));
static struct icpt_ring icpt_ring[SK_MAX_CPUS];
/* The order in which intercepts were decided, on every CPU: the drain
 * logs events in it, so the log tells which access came first even when
 * two CPUs made them. */
static uint64_t icpt_order;

extern char sk_intercept_entry[];
uint64_t sk_intercept(const struct vbs_vtl_intercept *m, uint64_t cpu);

/* VBS_HC_SET_INTERCEPT_ENTRY (include/vbs/hypercall.h). */
int sk_intercept_setup(uint32_t cpu)
{
	uint64_t status, rbx, rcx, rdx;

	if (cpu >= SK_MAX_CPUS)
		return -1;
	rbx = (uint64_t)(uintptr_t)sk_intercept_entry;
	rcx = sk_cpu_stack_top(cpu, SK_STACK_INTERCEPT); /* guard below */
	if (!rcx)
		return -1;
	rdx = (uint64_t)(uintptr_t)&icpt_msg[cpu];
	__asm__ volatile("vmmcall"
			 : "=a"(status), "+b"(rbx), "+c"(rcx), "+d"(rdx)
			 : "a"((uint64_t)VBS_HC_SET_INTERCEPT_ENTRY), "S"(0ull),
			   "D"(0ull)
			 : "memory");
	return status == VBS_HC_OK ? 0 : -1;
}

/*
 * An intercept of the CPU's own event delivery (VBS_VTL_INTERCEPT_F_EVENT)
 * says so in front of the detail: "exc 13 ", "int 236 ", "nmi ", "swi 128 "
 * (the event's type and vector, APM2 EXITINTINFO), the rest cut to fit.
 */
static void note_event(char *d, uint64_t event)
{
	static const char *const type_name[8] = {
		"int", "ev1", "nmi", "exc", "swi", "ev5", "ev6", "ev7",
	};
	char rest[VBS_SK_EV_DETAIL_LEN], pre[12];
	unsigned int vec = (unsigned int)(event & 0xff), n = 0, div;
	const char *t = type_name[(event >> 8) & 7];

	while (*t)
		pre[n++] = *t++;
	pre[n++] = ' ';
	if (((event >> 8) & 7) != 2) {
		for (div = 100; div > 1 && vec < div; div /= 10)
			;
		for (; div; div /= 10)
			pre[n++] = (char)('0' + vec / div % 10);
		pre[n++] = ' ';
	}
	memcpy(rest, d, sizeof(rest));
	memset(d, 0, VBS_SK_EV_DETAIL_LEN);
	memcpy(d, pre, n);
	memcpy(d + n, rest, VBS_SK_EV_DETAIL_LEN - 1 - n);
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
	r->order[head % ICPT_RING] =
		__atomic_fetch_add(&icpt_order, 1, __ATOMIC_RELAXED);
	memset(e, 0, sizeof(*e));
	e->kind = v->event_kind;
	e->code = v->code;
	e->source = m->rip;
	e->arg = m->gpa;
	memcpy(e->detail, v->detail, sizeof(e->detail));
	if (m->flags & VBS_VTL_INTERCEPT_F_EVENT)
		note_event(e->detail, m->event);
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

/* The ring (below ncpus) whose oldest undrained event came first, or -1
 * when all are drained up to heads[]. */
static int drain_next(const uint32_t *heads, uint32_t ncpus)
{
	uint64_t best = 0;
	uint32_t cpu, t;
	int pick = -1;

	for (cpu = 0; cpu < ncpus; cpu++) {
		t = icpt_ring[cpu].tail;
		if (t == heads[cpu])
			continue;
		if (pick < 0 || icpt_ring[cpu].order[t % ICPT_RING] < best) {
			best = icpt_ring[cpu].order[t % ICPT_RING];
			pick = (int)cpu;
		}
	}
	return pick;
}

/* Under the service lock: every ring's events into the log, merged in
 * the order they were decided, then each ring's losses. */
void sk_intercept_drain(struct sk_evlog *log, uint32_t ncpus)
{
	uint32_t heads[SK_MAX_CPUS], cpu;
	struct icpt_ring *r;
	uint64_t lost;
	int next;

	if (ncpus > SK_MAX_CPUS)
		ncpus = SK_MAX_CPUS;
	for (cpu = 0; cpu < ncpus; cpu++)
		heads[cpu] = __atomic_load_n(&icpt_ring[cpu].head,
					     __ATOMIC_ACQUIRE);
	while ((next = drain_next(heads, ncpus)) >= 0) {
		const struct vbs_sk_event *e;

		r = &icpt_ring[next];
		e = &r->ev[r->tail % ICPT_RING];
		sk_evlog_add(log, e->kind, e->code, e->source, e->arg,
			     e->module, e->detail);
		__atomic_store_n(&r->tail, r->tail + 1, __ATOMIC_RELEASE);
	}
	for (cpu = 0; cpu < ncpus; cpu++) {
		r = &icpt_ring[cpu];
		lost = __atomic_load_n(&r->lost, __ATOMIC_RELAXED);
		if (lost != r->lost_told) {
			sk_evlog_add(log, VBS_SK_EV_INFO, (int32_t)cpu, 0,
				     lost - r->lost_told, "sk",
				     "intercept events lost");
			r->lost_told = lost;
		}
	}
}
