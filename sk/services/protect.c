// SPDX-License-Identifier: MIT
/*
 * Protected ranges and their policies (sk/services/protect.h).
 */
#include "services/protect.h"

#include <string.h>

#include "base/range.h"

#define PAGE 4096ull
#define PROT_ALL (VBS_VTL_PROT_READ | VBS_VTL_PROT_WRITE | \
		  VBS_VTL_PROT_KEXEC | VBS_VTL_PROT_UEXEC)
#define PROT_EXEC (VBS_VTL_PROT_KEXEC | VBS_VTL_PROT_UEXEC)

static uint64_t rd64(const uint8_t *p, size_t off)
{
	uint64_t v;

	memcpy(&v, p + off, 8);
	return v;
}

static uint32_t rd32(const uint8_t *p, size_t off)
{
	uint32_t v;

	memcpy(&v, p + off, 4);
	return v;
}

/* NUL-terminated inside the field, printable ASCII, zero after the NUL. */
static int label_ok(const char *l, size_t n)
{
	size_t i = 0;

	while (i < n && l[i] >= 0x20 && l[i] < 0x7f)
		i++;
	if (i == n)
		return 0;
	for (; i < n; i++)
		if (l[i])
			return 0;
	return 1;
}

/* Write and execute each need read (what the nested tables can express:
 * exits/vtl.c vtl_prot_to_perm in the hypervisor). */
static int mask_ok(uint32_t mask)
{
	if (mask & ~PROT_ALL)
		return 0;
	return !(mask & (VBS_VTL_PROT_WRITE | PROT_EXEC)) ||
	       (mask & VBS_VTL_PROT_READ);
}

int sk_protect_parse(const uint8_t *in, uint32_t len,
		     struct vbs_sk_protect_range *r)
{
	memset(r, 0, sizeof(*r));
	if (!in || len != sizeof(*r))
		return VBS_SK_E_MALFORMED;
	r->gpa = rd64(in, 0x00);
	r->pages = rd64(in, 0x08);
	r->mask = rd32(in, 0x10);
	r->policy = rd32(in, 0x14);
	memcpy(r->label, in + 0x28, sizeof(r->label));
	if (rd64(in, 0x18) || rd32(in, 0x20) || rd32(in, 0x24) ||
	    !label_ok(r->label, sizeof(r->label)))
		return VBS_SK_E_MALFORMED;
	if ((r->gpa & (PAGE - 1)) || !r->pages ||
	    r->pages > VBS_SK_PROTECT_MAX_PAGES ||
	    r->gpa > UINT64_MAX - r->pages * PAGE || !mask_ok(r->mask) ||
	    r->policy < VBS_SK_PROTECT_DENY || r->policy > VBS_SK_PROTECT_TRIPWIRE)
		return VBS_SK_E_RANGE;
	return VBS_SK_OK;
}

int sk_protect_add(struct sk_protect *t, const struct vbs_sk_protect_range *r,
		   uint32_t *idx)
{
	uint32_t n = __atomic_load_n(&t->count, __ATOMIC_ACQUIRE), i;

	for (i = 0; i < n; i++)
		if (vbs_range_overlaps(t->range[i].gpa, t->range[i].pages * PAGE,
				       r->gpa, r->pages * PAGE))
			return VBS_SK_E_DENIED;
	if (n >= VBS_SK_PROTECT_RANGES)
		return VBS_SK_E_NOSPACE;
	t->range[n] = *r;
	t->range[n].violations = 0;
	t->range[n].state = VBS_SK_PROTECT_ST_ACTIVE;
	__atomic_store_n(&t->count, n + 1, __ATOMIC_RELEASE);
	*idx = n;
	return VBS_SK_OK;
}

void sk_protect_mark_partial(struct sk_protect *t, uint32_t idx)
{
	if (idx < __atomic_load_n(&t->count, __ATOMIC_ACQUIRE))
		__atomic_store_n(&t->range[idx].state, VBS_SK_PROTECT_ST_PARTIAL,
				 __ATOMIC_RELEASE);
}

uint32_t sk_protect_list(const struct sk_protect *t,
			 struct vbs_sk_protect_range *out, uint32_t max)
{
	uint32_t n = __atomic_load_n(&t->count, __ATOMIC_ACQUIRE), i;

	for (i = 0; i < n && i < max; i++) {
		out[i] = t->range[i];
		out[i].violations = __atomic_load_n(&t->range[i].violations,
						    __ATOMIC_RELAXED);
	}
	return i;
}

static const char *access_name(uint32_t access)
{
	switch (access) {
	case VBS_VTL_PROT_READ: return "read";
	case VBS_VTL_PROT_WRITE: return "write";
	case VBS_VTL_PROT_KEXEC: return "exec";
	case VBS_VTL_PROT_UEXEC: return "uexec";
	default: return "access";
	}
}

static const char *policy_name(uint32_t policy)
{
	switch (policy) {
	case VBS_SK_PROTECT_DENY: return "denied";
	case VBS_SK_PROTECT_AUDIT: return "audited";
	case VBS_SK_PROTECT_TRIPWIRE: return "tripwire";
	default: return "denied";
	}
}

/* "<access> <policy>: <label>", cut to the event's detail field. */
static void describe(char *d, uint32_t access, uint32_t policy,
		     const char *label)
{
	const char *parts[4] = { access_name(access), " ", policy_name(policy),
				 ": " };
	size_t n = 0, i, k;

	memset(d, 0, VBS_SK_EV_DETAIL_LEN);
	for (i = 0; i < 5; i++) {
		const char *p = i < 4 ? parts[i] : label;

		for (k = 0; p[k] && n + 1 < VBS_SK_EV_DETAIL_LEN &&
		     (i < 4 || k < 32); k++)
			d[n++] = p[k];
	}
}

static struct vbs_sk_protect_range *find(struct sk_protect *t, uint64_t gpa)
{
	uint32_t n = __atomic_load_n(&t->count, __ATOMIC_ACQUIRE), i;

	for (i = 0; i < n; i++)
		if (vbs_range_overlaps(t->range[i].gpa, t->range[i].pages * PAGE,
				       gpa & ~(PAGE - 1), PAGE))
			return &t->range[i];
	return NULL;
}

void sk_protect_decide(struct sk_protect *t, const struct vbs_vtl_intercept *m,
		       struct sk_protect_verdict *v)
{
	struct vbs_sk_protect_range *r = find(t, m->gpa);
	uint32_t policy = r ? r->policy : VBS_SK_PROTECT_DENY;

	v->code = (int32_t)m->access;
	describe(v->detail, m->access, policy, r ? r->label : "no range");
	if (r)
		__atomic_add_fetch(&r->violations, 1, __ATOMIC_RELAXED);
	if (policy == VBS_SK_PROTECT_DENY || m->kind != VBS_VTL_INTERCEPT_MEMORY) {
		v->event_kind = VBS_SK_EV_DENIED;
		v->action = VBS_VTL_INTERCEPT_DENY;
		return;
	}
	v->event_kind = VBS_SK_EV_AUDIT;
	v->action = policy == VBS_SK_PROTECT_AUDIT &&
		    m->access == VBS_VTL_PROT_WRITE && m->store_size ?
		    VBS_VTL_INTERCEPT_EMULATE : VBS_VTL_INTERCEPT_ALLOW;
}
