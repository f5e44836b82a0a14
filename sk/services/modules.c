// SPDX-License-Identifier: MIT
/*
 * VTL0's modules as reported (sk/services/modules.h).
 */
#include "services/modules.h"

#include <string.h>

/* x86-64 kernel addresses are canonical with bit 63 set (APM2 §5.3.1
 * "Canonical Address Form"). */
#define KERNEL_MIN 0xffff800000000000ull
#define MODULE_MAX_SIZE (1ull << 30)

static int name_ok(const uint8_t *name, uint32_t len)
{
	uint32_t i;

	if (!name || len == 0 || len >= VBS_SK_EV_MODULE_LEN)
		return 0;
	for (i = 0; i < len; i++)
		if (name[i] < 0x21 || name[i] > 0x7e)
			return 0;
	return 1;
}

static struct sk_module *live_at(struct sk_modules *t, uint64_t base)
{
	uint32_t n = __atomic_load_n(&t->count, __ATOMIC_ACQUIRE), i;

	for (i = n; i-- > 0;)
		if (t->mod[i].base == base &&
		    __atomic_load_n(&t->mod[i].live, __ATOMIC_ACQUIRE))
			return &t->mod[i];
	return NULL;
}

int sk_modules_note(struct sk_modules *t, uint64_t base, uint64_t size,
		    const uint8_t *name, uint32_t len)
{
	uint32_t n = __atomic_load_n(&t->count, __ATOMIC_ACQUIRE);
	struct sk_module *old, *m;

	if (base < KERNEL_MIN || !size || size > MODULE_MAX_SIZE ||
	    base > UINT64_MAX - size)
		return VBS_SK_E_RANGE;
	if (!name_ok(name, len))
		return VBS_SK_E_MALFORMED;
	if (n >= SK_MODULES_MAX)
		return VBS_SK_E_NOSPACE;
	old = live_at(t, base);
	m = &t->mod[n];
	memset(m, 0, sizeof(*m));
	m->base = base;
	m->size = size;
	m->live = 1;
	memcpy(m->name, name, len);
	__atomic_store_n(&t->count, n + 1, __ATOMIC_RELEASE);
	if (old)
		__atomic_store_n(&old->live, 0, __ATOMIC_RELEASE);
	return VBS_SK_OK;
}

int sk_modules_gone(struct sk_modules *t, uint64_t base)
{
	struct sk_module *m = live_at(t, base);

	if (!m)
		return VBS_SK_E_NOENT;
	__atomic_store_n(&m->live, 0, __ATOMIC_RELEASE);
	return VBS_SK_OK;
}

const char *sk_modules_lookup(const struct sk_modules *t, uint64_t addr)
{
	uint32_t n = __atomic_load_n(&t->count, __ATOMIC_ACQUIRE), i;
	const struct sk_module *m;

	for (i = n; i-- > 0;) {
		m = &t->mod[i];
		if (addr >= m->base && addr - m->base < m->size &&
		    __atomic_load_n(&m->live, __ATOMIC_ACQUIRE))
			return m->name;
	}
	return NULL;
}
