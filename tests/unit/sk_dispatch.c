// SPDX-License-Identifier: MIT
/*
 * Unit tests: sk/services/dispatch.c, request validation field by field
 * and the services behind it, over a simulated guest memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/entropy_pool.h"
#include "services/dispatch.h"

#define GBASE 0x100000ull
#define GSIZE 0x30000u
#define LOG_CAP 16

static uint8_t gmem[GSIZE];
static struct vbs_sk_event ring[LOG_CAP];
static struct sk_evlog evlog;
static struct sk_vault vault;
static struct sk_dispatch_ctx ctx;
static int maps;

static void *map(void *mctx, uint64_t gpa, uint32_t len, int writable)
{
	(void)mctx;
	(void)writable;
	maps++;
	assert_true(len > 0);
	if (gpa < GBASE || gpa - GBASE > GSIZE || len > GSIZE - (gpa - GBASE))
		return NULL;
	return gmem + (gpa - GBASE);
}

static uint8_t counter;

static int entropy(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len--)
		*p++ = (uint8_t)(counter++ * 151 + 7);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	memset(gmem, 0, sizeof(gmem));
	sk_evlog_init(&evlog, ring, LOG_CAP);
	sk_vault_init(&vault, entropy);
	ctx = (struct sk_dispatch_ctx){
		.vault = &vault, .log = &evlog, .map = map, .sk_version = 0x000100,
		.props_available = 7, .props_required = 1, .props_running = 3,
		.caller = 0xffffffffc0001234ull, .caller_module = "vbs",
	};
	maps = 0;
	return 0;
}

static uint64_t fake_now;

/* A counter that advances 1000 per read: the spin ends after n/1000 reads. */
static uint64_t fake_cycles(void)
{
	return fake_now += 1000;
}

static struct vbs_sk_request req(uint32_t service, uint32_t op)
{
	return (struct vbs_sk_request){
		.magic = VBS_SK_REQ_MAGIC, .version = VBS_SK_ABI_VERSION,
		.size = VBS_SK_REQ_SIZE, .service = service, .op = op,
	};
}

static void set_in(struct vbs_sk_request *r, uint64_t off, uint32_t len)
{
	r->in.gpa = GBASE + off;
	r->in.len = len;
}

static void set_out(struct vbs_sk_request *r, uint64_t off, uint32_t len)
{
	r->out.gpa = GBASE + off;
	r->out.len = len;
}

/* Runs r as raw bytes; returns the status; *r gets what was written back. */
static int run(struct vbs_sk_request *r)
{
	uint8_t raw[VBS_SK_REQ_SIZE];
	int st;

	memcpy(raw, r, sizeof(raw));
	st = sk_dispatch(&ctx, raw, sizeof(raw));
	memcpy(r, raw, sizeof(raw));
	assert_int_equal(r->status, st);
	return st;
}

static const struct vbs_sk_event *last_event(void)
{
	assert_true(evlog.next_seq > 0);
	return &ring[(evlog.next_seq - 1) % LOG_CAP];
}

/* r must be refused with want, logged, nothing mapped. */
static void refused(struct vbs_sk_request r, int want)
{
	uint64_t before = evlog.next_seq;
	int m = maps;

	assert_int_equal(run(&r), want);
	assert_int_equal(r.out_len, 0);
	if (want != VBS_SK_E_FAULT)
		assert_int_equal(maps, m); /* refused before any mapping */
	assert_int_equal(evlog.next_seq, before + 1);
	assert_int_equal(last_event()->kind, VBS_SK_EV_REFUSED);
	assert_int_equal(last_event()->code, want);
	assert_int_equal(last_event()->source, ctx.caller);
	assert_string_equal(last_event()->module, "vbs");
}

static void test_status_get(void **state)
{
	struct vbs_sk_request r = req(VBS_SK_SVC_STATUS, VBS_SK_STATUS_GET);
	struct vbs_sk_status_info s;

	(void)state;
	set_out(&r, 0x1003, sizeof(s)); /* unaligned on purpose */
	assert_int_equal(run(&r), VBS_SK_OK);
	assert_int_equal(r.out_len, sizeof(s));
	memcpy(&s, gmem + 0x1003, sizeof(s));
	assert_int_equal(s.abi_version, VBS_SK_ABI_VERSION);
	assert_int_equal(s.sk_version, 0x000100);
	assert_int_equal(s.props_available, 7);
	assert_int_equal(s.props_required, 1);
	assert_int_equal(s.props_running, 3);
	assert_int_equal(s.vault_slots, SK_VAULT_SLOTS);
	assert_int_equal(s.vault_used, 0);
	assert_int_equal(s.entropy_sources, 0);     /* no pool seeded */
	{
		uint8_t tpm[SK_POOL_MIN_SEED] = { 1 };
		struct sk_pool_input in = { .tpm = tpm, .tpm_len = sizeof(tpm) };

		assert_int_equal(sk_pool_seed(&in, NULL), 0);
		r.status = 0;
		r.out_len = 0;
		assert_int_equal(run(&r), VBS_SK_OK);
		memcpy(&s, gmem + 0x1003, sizeof(s));
		assert_int_equal(s.entropy_sources, VBS_SK_ENTROPY_TPM);
		sk_pool_reset();
	}
	set_out(&r, 0, sizeof(s) - 1);
	r.status = 0;
	r.out_len = 0;
	assert_int_equal(run(&r), VBS_SK_E_SMALL);
	assert_int_equal(r.out_len, 0);
}

static void test_short_and_null(void **state)
{
	struct vbs_sk_request r = req(VBS_SK_SVC_STATUS, VBS_SK_STATUS_GET);
	uint8_t raw[VBS_SK_REQ_SIZE];

	(void)state;
	set_out(&r, 0, 0x30);
	memcpy(raw, &r, sizeof(raw));
	assert_int_equal(sk_dispatch(&ctx, raw, sizeof(raw) - 1), VBS_SK_E_MALFORMED);
	assert_int_equal(raw[0x14], 0); /* nothing written back */
	assert_int_equal(sk_dispatch(&ctx, NULL, sizeof(raw)), VBS_SK_E_MALFORMED);
	assert_int_equal(sk_dispatch(&ctx, raw, 0), VBS_SK_E_MALFORMED);
	assert_int_equal(evlog.next_seq, 3);
	/* a longer buffer is fine: only the first 0x60 bytes count */
	{
		uint8_t big[0x100] = { 0 };

		memcpy(big, &r, sizeof(r));
		assert_int_equal(sk_dispatch(&ctx, big, sizeof(big)), VBS_SK_OK);
	}
}

static void test_header_fields(void **state)
{
	struct vbs_sk_request good = req(VBS_SK_SVC_STATUS, VBS_SK_STATUS_GET), r;

	(void)state;
	set_out(&good, 0, 0x30);
	r = good; r.magic ^= 1; refused(r, VBS_SK_E_MALFORMED);
	r = good; r.version = 0; refused(r, VBS_SK_E_MALFORMED);
	r = good; r.version = 2; refused(r, VBS_SK_E_MALFORMED);
	r = good; r.size = 0x5f; refused(r, VBS_SK_E_MALFORMED);
	r = good; r.size = 0x61; refused(r, VBS_SK_E_MALFORMED);
	r = good; r.flags = 1u << 31; refused(r, VBS_SK_E_MALFORMED);
	r = good; r.status = -1; refused(r, VBS_SK_E_MALFORMED);
	r = good; r.out_len = 4; refused(r, VBS_SK_E_MALFORMED);
	r = good; r.reserved0 = 1; refused(r, VBS_SK_E_MALFORMED);
	r = good; r.reserved1[0] = 1; refused(r, VBS_SK_E_MALFORMED);
	r = good; r.reserved1[1] = 1ull << 63; refused(r, VBS_SK_E_MALFORMED);
	r = good; r.in.reserved = 1; refused(r, VBS_SK_E_MALFORMED);
	r = good; r.out.reserved = 1; refused(r, VBS_SK_E_MALFORMED);
	/* the unmodified request still works */
	r = good;
	assert_int_equal(run(&r), VBS_SK_OK);
}

static void test_buffer_fields(void **state)
{
	struct vbs_sk_request good = req(VBS_SK_SVC_VAULT, VBS_SK_VAULT_MAC), r;

	(void)state;
	good.arg0 = 1;
	set_in(&good, 0, 16);
	set_out(&good, 0x100, 32);
	r = good; r.in.len = VBS_SK_BUF_MAX + 1; refused(r, VBS_SK_E_RANGE);
	r = good; r.in.len = UINT32_MAX; refused(r, VBS_SK_E_RANGE);
	r = good; r.out.len = UINT32_MAX; refused(r, VBS_SK_E_RANGE);
	r = good; r.in.len = 0; refused(r, VBS_SK_E_RANGE);   /* gpa without length */
	r = good; r.in.gpa = UINT64_MAX - 8; refused(r, VBS_SK_E_RANGE); /* wraps */
	r = good; r.out.gpa = UINT64_MAX; r.out.len = 2; refused(r, VBS_SK_E_RANGE);
	/* the last byte of the address space is a valid (if unmappable) end */
	r = good; r.in.gpa = UINT64_MAX - 15; refused(r, VBS_SK_E_FAULT);
	/* overlap of input and output, either way, by one byte */
	r = good; set_out(&r, 15, 32); refused(r, VBS_SK_E_RANGE);
	r = good; set_in(&r, 0x100 + 31, 16); refused(r, VBS_SK_E_RANGE);
	r = good; set_out(&r, 16, 32);
	assert_int_equal(run(&r), VBS_SK_E_NOENT); /* adjacent is fine */
	/* not mappable (outside guest memory) */
	r = good; r.out.gpa = 0x1000; refused(r, VBS_SK_E_FAULT);
	r = good; r.in.gpa = GBASE + GSIZE - 8; refused(r, VBS_SK_E_FAULT);
}

static void test_unknown_service_op(void **state)
{
	struct vbs_sk_request r;
	uint32_t bad_svc[] = { 0, 6, 0x100, UINT32_MAX };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_svc) / sizeof(bad_svc[0]); i++) {
		r = req(bad_svc[i], 1);
		refused(r, VBS_SK_E_SERVICE);
		assert_int_equal(last_event()->arg, (uint64_t)bad_svc[i] << 32 | 1);
	}
	r = req(VBS_SK_SVC_STATUS, 0); refused(r, VBS_SK_E_OP);
	r = req(VBS_SK_SVC_STATUS, 2); refused(r, VBS_SK_E_OP);
	r = req(VBS_SK_SVC_LOG, 0); refused(r, VBS_SK_E_OP);
	r = req(VBS_SK_SVC_VAULT, 0); refused(r, VBS_SK_E_OP);
	r = req(VBS_SK_SVC_VAULT, 10); refused(r, VBS_SK_E_OP);
	r = req(VBS_SK_SVC_VAULT, UINT32_MAX); refused(r, VBS_SK_E_OP);
}

static void test_unused_fields_must_be_zero(void **state)
{
	struct vbs_sk_request good = req(VBS_SK_SVC_STATUS, VBS_SK_STATUS_GET), r;

	(void)state;
	set_out(&good, 0, 0x30);
	r = good; r.arg0 = 1; refused(r, VBS_SK_E_MALFORMED);
	r = good; r.arg1 = 1; refused(r, VBS_SK_E_MALFORMED);
	r = good; set_in(&r, 0x100, 4); refused(r, VBS_SK_E_MALFORMED);
	r = good; r.out.gpa = 0; r.out.len = 0; refused(r, VBS_SK_E_MALFORMED);
	r = req(VBS_SK_SVC_VAULT, VBS_SK_VAULT_DELETE);
	r.arg0 = 1;
	set_out(&r, 0, 4);
	refused(r, VBS_SK_E_MALFORMED);
	r = req(VBS_SK_SVC_LOG, VBS_SK_LOG_READ);
	set_out(&r, 0, 0x100);
	r.arg1 = 5;
	refused(r, VBS_SK_E_MALFORMED);
}

static uint32_t create(uint32_t kind, const char *label)
{
	struct vbs_sk_request r = req(VBS_SK_SVC_VAULT, VBS_SK_VAULT_CREATE);
	uint32_t id;

	r.arg0 = kind;
	memcpy(gmem + 0x2000, label, strlen(label));
	if (strlen(label))
		set_in(&r, 0x2000, (uint32_t)strlen(label));
	set_out(&r, 0x2100, 4);
	assert_int_equal(run(&r), VBS_SK_OK);
	assert_int_equal(r.out_len, 4);
	memcpy(&id, gmem + 0x2100, 4);
	assert_int_equal(last_event()->kind, VBS_SK_EV_VAULT);
	assert_int_equal(last_event()->arg, id);
	return id;
}

static void test_vault_through_dispatch(void **state)
{
	struct vbs_sk_request r;
	struct vbs_sk_vault_entry e[3];
	uint32_t mac_id = create(VBS_SK_KEY_HMAC_SHA256, "m");
	uint32_t ec_id = create(VBS_SK_KEY_ECDSA_P256, "");
	uint32_t aes_id = create(VBS_SK_KEY_AES256_GCM, "aes key");
	uint8_t pt[100];

	(void)state;
	/* MAC */
	r = req(VBS_SK_SVC_VAULT, VBS_SK_VAULT_MAC);
	r.arg0 = mac_id;
	set_in(&r, 0, 100);
	set_out(&r, 0x400, 32);
	assert_int_equal(run(&r), VBS_SK_OK);
	assert_int_equal(r.out_len, 32);
	/* pubkey + sign */
	r = req(VBS_SK_SVC_VAULT, VBS_SK_VAULT_PUBKEY);
	r.arg0 = ec_id;
	set_out(&r, 0x400, 65);
	assert_int_equal(run(&r), VBS_SK_OK);
	assert_int_equal(gmem[0x400], 4);
	r = req(VBS_SK_SVC_VAULT, VBS_SK_VAULT_SIGN);
	r.arg0 = ec_id;
	set_in(&r, 0, 100);
	set_out(&r, 0x400, 64);
	assert_int_equal(run(&r), VBS_SK_OK);
	assert_int_equal(r.out_len, 64);
	/* wrap AAD(5) || pt(100), then unwrap */
	memset(gmem + 0x800, 'A', 5);
	memset(gmem + 0x805, 'p', 100);
	memset(pt, 'p', sizeof(pt));
	r = req(VBS_SK_SVC_VAULT, VBS_SK_VAULT_WRAP);
	r.arg0 = aes_id;
	r.arg1 = 5;
	set_in(&r, 0x800, 105);
	set_out(&r, 0x1000 + 5, 128);
	assert_int_equal(run(&r), VBS_SK_OK);
	assert_int_equal(r.out_len, 128);
	memset(gmem + 0x1000, 'A', 5);
	r = req(VBS_SK_SVC_VAULT, VBS_SK_VAULT_UNWRAP);
	r.arg0 = aes_id;
	r.arg1 = 5;
	set_in(&r, 0x1000, 133);
	set_out(&r, 0x3000, 100);
	assert_int_equal(run(&r), VBS_SK_OK);
	assert_int_equal(r.out_len, 100);
	assert_memory_equal(gmem + 0x3000, pt, 100);
	/* AAD length beyond the input, ids beyond 32 bits */
	r = req(VBS_SK_SVC_VAULT, VBS_SK_VAULT_UNWRAP);
	r.arg0 = aes_id;
	r.arg1 = 134;
	set_in(&r, 0x1000, 133);
	set_out(&r, 0x3000, 100);
	assert_int_equal(run(&r), VBS_SK_E_RANGE);
	r.status = 0; r.out_len = 0; r.arg1 = UINT64_MAX;
	assert_int_equal(run(&r), VBS_SK_E_RANGE);
	r.status = 0; r.out_len = 0; r.arg1 = 5; r.arg0 = (1ull << 32) | aes_id;
	assert_int_equal(run(&r), VBS_SK_E_RANGE);
	/* list: ids, kinds, labels */
	r = req(VBS_SK_SVC_VAULT, VBS_SK_VAULT_LIST);
	set_out(&r, 0x5000, sizeof(e) - 1);
	assert_int_equal(run(&r), VBS_SK_E_SMALL);
	r.status = 0;
	set_out(&r, 0x5000, sizeof(e));
	assert_int_equal(run(&r), VBS_SK_OK);
	assert_int_equal(r.out_len, sizeof(e));
	memcpy(e, gmem + 0x5000, sizeof(e));
	assert_int_equal(e[0].id, mac_id);
	assert_int_equal(e[2].kind, VBS_SK_KEY_AES256_GCM);
	assert_string_equal(e[2].label, "aes key");
	/* delete, then the id is gone */
	r = req(VBS_SK_SVC_VAULT, VBS_SK_VAULT_DELETE);
	r.arg0 = mac_id;
	assert_int_equal(run(&r), VBS_SK_OK);
	r.status = 0;
	assert_int_equal(run(&r), VBS_SK_E_NOENT);
}

static void test_vault_import_through_dispatch(void **state)
{
	struct vbs_sk_request r = req(VBS_SK_SVC_VAULT, VBS_SK_VAULT_IMPORT);
	uint32_t id;

	(void)state;
	memcpy(gmem, "label", 5);
	memset(gmem + 5, 0x42, 32);
	r.arg0 = VBS_SK_KEY_AES256_GCM;
	r.arg1 = 5;
	set_in(&r, 0, 37);
	set_out(&r, 0x100, 4);
	assert_int_equal(run(&r), VBS_SK_OK);
	memcpy(&id, gmem + 0x100, 4);
	assert_int_equal(vault.slot[0].id, id);
	assert_int_equal(vault.slot[0].flags, VBS_SK_VAULT_F_IMPORTED);
	assert_memory_equal(vault.slot[0].label, "label", 6);
	/* label length past the input; a key one byte short */
	r.status = 0; r.out_len = 0; r.arg1 = 38;
	assert_int_equal(run(&r), VBS_SK_E_RANGE);
	r.status = 0; r.arg1 = 6;
	assert_int_equal(run(&r), VBS_SK_E_RANGE);
	r.status = 0; r.arg1 = 5; r.arg0 = 77;
	assert_int_equal(run(&r), VBS_SK_E_KIND);
	r.status = 0; r.arg0 = UINT64_MAX;
	assert_int_equal(run(&r), VBS_SK_E_RANGE);
}

static void test_log_read_counts_losses(void **state)
{
	struct vbs_sk_request r, bad = req(0xdead, 0);
	struct vbs_sk_log_head h;
	struct vbs_sk_event ev;
	const uint32_t head = sizeof(h), esz = sizeof(ev);
	int i;

	(void)state;
	for (i = 0; i < 40; i++)
		refused(bad, VBS_SK_E_SERVICE); /* 40 refusals into 16 slots */
	r = req(VBS_SK_SVC_LOG, VBS_SK_LOG_READ);
	r.arg0 = 10;
	set_out(&r, 0x101, head + 5 * esz + 7);
	assert_int_equal(run(&r), VBS_SK_OK);
	memcpy(&h, gmem + 0x101, head);
	assert_int_equal(h.lost, 14);           /* 10..23 overwritten */
	assert_int_equal(h.first_seq, 24);
	assert_int_equal(h.next_seq, 40);
	assert_int_equal(h.dropped_total, 24);
	assert_int_equal(h.count, 5);
	assert_int_equal(h.entry_size, esz);
	assert_int_equal(r.out_len, head + 5 * esz);
	for (i = 0; i < 5; i++) {
		memcpy(&ev, gmem + 0x101 + head + (size_t)i * esz, esz);
		assert_int_equal(ev.seq, 24 + (uint64_t)i);
		assert_int_equal(ev.code, VBS_SK_E_SERVICE);
		assert_string_equal(ev.detail, "unknown service");
	}
	/* too small for the head */
	r = req(VBS_SK_SVC_LOG, VBS_SK_LOG_READ);
	set_out(&r, 0, head - 1);
	assert_int_equal(run(&r), VBS_SK_E_SMALL);
}

/* The diagnostic spin: refused without a counter, bounded, else it waits
 * for the counter to advance by arg0. */
static void test_status_spin(void **state)
{
	struct vbs_sk_request r;
	uint64_t before;

	(void)state;
	r = req(VBS_SK_SVC_STATUS, VBS_SK_STATUS_SPIN);
	r.arg0 = 5000;
	assert_int_equal(run(&r), VBS_SK_E_OP); /* no counter */
	ctx.cycles = fake_cycles;
	fake_now = 0;
	r = req(VBS_SK_SVC_STATUS, VBS_SK_STATUS_SPIN);
	r.arg0 = 50000;
	before = fake_now;
	assert_int_equal(run(&r), VBS_SK_OK);
	assert_true(fake_now - before >= 50000 + 1000);
	r = req(VBS_SK_SVC_STATUS, VBS_SK_STATUS_SPIN);
	r.arg0 = 0;
	assert_int_equal(run(&r), VBS_SK_E_RANGE);
	r = req(VBS_SK_SVC_STATUS, VBS_SK_STATUS_SPIN);
	r.arg0 = VBS_SK_SPIN_MAX + 1;
	assert_int_equal(run(&r), VBS_SK_E_RANGE);
	r = req(VBS_SK_SVC_STATUS, VBS_SK_STATUS_SPIN);
	r.arg0 = 1;
	r.arg1 = 1; /* not used by this operation: must be zero */
	assert_int_equal(run(&r), VBS_SK_E_MALFORMED);
}

static struct sk_protect prot;
static uint64_t mask_calls, mask_gpa, mask_pages;
static uint32_t mask_mask;
static int mask_status;

static int fake_set_mask(uint64_t gpa, uint64_t pages, uint32_t mask)
{
	mask_calls++;
	mask_gpa = gpa;
	mask_pages = pages;
	mask_mask = mask;
	return mask_status;
}

/* Refused after its buffers were mapped (the op itself said no). */
static void refused_late(struct vbs_sk_request r, int want)
{
	uint64_t before = evlog.next_seq;

	assert_int_equal(run(&r), want);
	assert_int_equal(r.out_len, 0);
	assert_int_equal(evlog.next_seq, before + 1);
	assert_int_equal(last_event()->kind, VBS_SK_EV_REFUSED);
	assert_int_equal(last_event()->code, want);
}

static void test_protect_through_dispatch(void **state)
{
	struct vbs_sk_protect_range pr = { .gpa = 0x7000, .pages = 3,
		.mask = VBS_VTL_PROT_READ, .policy = VBS_SK_PROTECT_DENY,
		.label = "kdp" };
	struct vbs_sk_protect_range out[2];
	struct vbs_sk_request r;

	(void)state;
	r = req(VBS_SK_SVC_PROTECT, VBS_SK_PROTECT_SET);
	memcpy(gmem, &pr, sizeof(pr));
	set_in(&r, 0, sizeof(pr));
	refused_late(r, VBS_SK_E_OP); /* no table, no hypercall: not offered */
	memset(&prot, 0, sizeof(prot));
	ctx.protect = &prot;
	ctx.set_mask = fake_set_mask;
	mask_calls = 0;
	mask_status = 0;
	assert_int_equal(run(&r), VBS_SK_OK);
	assert_int_equal(mask_calls, 1);
	assert_int_equal(mask_gpa, 0x7000);
	assert_int_equal(mask_pages, 3);
	assert_int_equal(mask_mask, VBS_VTL_PROT_READ);
	assert_int_equal(last_event()->kind, VBS_SK_EV_INFO);
	/* the same pages again, looser: refused, the mask untouched */
	pr.mask = 0xf;
	memcpy(gmem, &pr, sizeof(pr));
	refused_late(r, VBS_SK_E_DENIED);
	assert_int_equal(mask_calls, 1);
	/* the hypervisor refuses: an error, and the range says so */
	pr.gpa = 0x20000;
	memcpy(gmem, &pr, sizeof(pr));
	mask_status = 3;
	refused_late(r, VBS_SK_E_HV);
	r = req(VBS_SK_SVC_PROTECT, VBS_SK_PROTECT_LIST);
	set_out(&r, 0x1000, sizeof(out));
	assert_int_equal(run(&r), VBS_SK_OK);
	assert_int_equal(r.out_len, sizeof(out));
	memcpy(out, gmem + 0x1000, sizeof(out));
	assert_int_equal(out[0].state, VBS_SK_PROTECT_ST_ACTIVE);
	assert_int_equal(out[1].state, VBS_SK_PROTECT_ST_PARTIAL);
	r.out_len = 0;
	r.status = 0;
	set_out(&r, 0x1000, sizeof(out) - 1);
	refused_late(r, VBS_SK_E_SMALL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_status_get, setup),
		cmocka_unit_test_setup(test_status_spin, setup),
		cmocka_unit_test_setup(test_short_and_null, setup),
		cmocka_unit_test_setup(test_header_fields, setup),
		cmocka_unit_test_setup(test_buffer_fields, setup),
		cmocka_unit_test_setup(test_unknown_service_op, setup),
		cmocka_unit_test_setup(test_unused_fields_must_be_zero, setup),
		cmocka_unit_test_setup(test_vault_through_dispatch, setup),
		cmocka_unit_test_setup(test_vault_import_through_dispatch, setup),
		cmocka_unit_test_setup(test_log_read_counts_losses, setup),
		cmocka_unit_test_setup(test_protect_through_dispatch, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
