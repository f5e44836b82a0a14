// SPDX-License-Identifier: MIT
/*
 * Fuzz the MOR efivarfs judgement and the probe (lib/fw/mor.c): the probe
 * runs against a store whose every answer comes from the fuzz input.
 * Input: [u8 control length][control file][lock file + store script].
 */
#include <string.h>
#include "fw/mor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct script {
	const uint8_t *p;
	size_t n, i;
};

static uint8_t next(struct script *s)
{
	return s->n ? s->p[s->i++ % s->n] : 0;
}

static int get(void *ctx, enum mor_var_id var, uint32_t *attrs,
	       uint8_t *data, size_t cap, size_t *size)
{
	struct script *s = ctx;
	size_t k, want = next(s) % 10;

	(void)var;
	if (next(s) & 1)
		return -1;
	*attrs = next(s);
	for (k = 0; k < want && k < cap; k++)
		data[k] = next(s);
	*size = want;   /* may claim more than cap: the probe must cope */
	return 0;
}

static int set(void *ctx, enum mor_var_id var, uint32_t attrs,
	       const uint8_t *data, size_t size)
{
	struct script *s = ctx;

	(void)var; (void)attrs; (void)data;
	if (size != 1 && size != MOR_KEY_LEN)
		__builtin_trap(); /* the probe writes only a byte or the key */
	return next(s) & 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t key[MOR_KEY_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct fw_finding items[32];
	struct fw_report r;
	struct mor m;
	struct script sc = { 0 };
	struct mor_ops ops = { .ctx = &sc, .get = get, .set = set };
	enum mor_rev rev;
	size_t clen;
	uint8_t *c, *l;

	if (size < 1)
		return 0;
	clen = data[0];
	data++;
	size--;
	if (clen > size)
		clen = size;
	c = __builtin_malloc(clen ? clen : 1);
	l = __builtin_malloc(size - clen ? size - clen : 1);
	memcpy(c, data, clen);
	memcpy(l, data + clen, size - clen);
	fw_report_init(&r, items, 32);
	mor_parse(clen ? c : NULL, clen, size - clen ? l : NULL, size - clen,
		  &m, &r);
	sc.p = data;
	sc.n = size;
	mor_probe(&ops, key, &rev, &r);
	if (rev > MOR_REV_2)
		__builtin_trap();
	__builtin_free(c);
	__builtin_free(l);
	return 0;
}
