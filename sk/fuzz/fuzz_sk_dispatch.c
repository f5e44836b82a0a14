// SPDX-License-Identifier: MIT
/*
 * Fuzz the secure kernel's request parsing and services
 * (sk/services/dispatch.c and what it calls). Input: the first 0x60
 * bytes are the request block (zero-padded if shorter), the rest is the
 * content of a simulated guest memory at GBASE. The vault holds one key
 * of each kind (ids 1 HMAC, 2 ECDSA, 3 AES-GCM, 4 Ed25519), restored before each
 * input. Checked on every input: the status written back is the one
 * returned; a refusal writes no output and is logged; out_len never
 * exceeds the output buffer; nothing outside the output buffer changes.
 */
#include <stdlib.h>
#include <string.h>

#include "services/dispatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define GBASE 0x10000ull
#define GSIZE 0x4000u
#define LOG_CAP 32

static uint8_t gmem[GSIZE], before[GSIZE];
static struct sk_vault vault, vault_template;
static struct vbs_sk_event ring[LOG_CAP];
static struct sk_evlog evlog;
static uint8_t counter;

static int entropy(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len--)
		*p++ = (uint8_t)(counter++ * 29 + 3);
	return 0;
}

static void *map(void *mctx, uint64_t gpa, uint32_t len, int writable)
{
	(void)mctx;
	(void)writable;
	if (len == 0 || gpa < GBASE || gpa - GBASE > GSIZE || len > GSIZE - (gpa - GBASE))
		return NULL;
	return gmem + (gpa - GBASE);
}

static void init_once(void)
{
	static int done;
	uint32_t id;

	if (done)
		return;
	done = 1;
	sk_vault_init(&vault_template, entropy);
	if (sk_vault_create(&vault_template, VBS_SK_KEY_HMAC_SHA256, "h", 1, &id) ||
	    sk_vault_create(&vault_template, VBS_SK_KEY_ECDSA_P256, "e", 1, &id) ||
	    sk_vault_create(&vault_template, VBS_SK_KEY_AES256_GCM, "a", 1, &id) ||
	    sk_vault_create(&vault_template, VBS_SK_KEY_ED25519, "d", 1, &id))
		abort();
}

static struct sk_protect prot;
static struct sk_modules mods;

/* The hypervisor's answer to a mask change: refused for odd pages, so
 * the PARTIAL path runs too. */
static int fake_set_mask(uint64_t gpa, uint64_t pages, uint32_t mask)
{
	(void)pages;
	(void)mask;
	return (gpa >> 12) & 1 ? 3 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t req[VBS_SK_REQ_SIZE] = { 0 };
	struct sk_dispatch_ctx ctx = {
		.vault = &vault, .log = &evlog, .map = map, .caller = 0x1234,
		.protect = &prot, .set_mask = fake_set_mask, .modules = &mods,
	};
	size_t n = size < sizeof(req) ? size : sizeof(req), i;
	uint64_t out_gpa, seq;
	uint32_t out_len, out_cap, written;
	int st;

	init_once();
	memcpy(req, data, n);
	memset(gmem, 0, sizeof(gmem));
	if (size > n)
		memcpy(gmem, data + n, size - n < GSIZE ? size - n : GSIZE);
	memcpy(before, gmem, sizeof(gmem));
	memcpy(&vault, &vault_template, sizeof(vault));
	sk_evlog_init(&evlog, ring, LOG_CAP);
	memset(&prot, 0, sizeof(prot));
	memset(&mods, 0, sizeof(mods));

	memcpy(&out_gpa, req + 0x38, 8);
	memcpy(&out_cap, req + 0x40, 4);
	st = sk_dispatch(&ctx, req, sizeof(req));
	if (prot.count > VBS_SK_PROTECT_RANGES ||
	    (prot.count && (prot.range[0].gpa & 0xfff || !prot.range[0].pages)))
		abort();
	seq = evlog.next_seq;
	memcpy(&written, req + 0x14, 4);
	memcpy(&out_len, req + 0x48, 4);
	if ((int32_t)written != st || out_len > out_cap)
		abort();
	if (st != VBS_SK_OK && (out_len != 0 || seq == 0 ||
				ring[(seq - 1) % LOG_CAP].kind != VBS_SK_EV_REFUSED))
		abort();
	for (i = 0; i < GSIZE; i++) {
		uint64_t gpa = GBASE + i;
		int in_out = st == VBS_SK_OK && out_cap && gpa >= out_gpa &&
			     gpa - out_gpa < out_cap;

		if (!in_out && gmem[i] != before[i])
			abort();
	}
	return 0;
}
