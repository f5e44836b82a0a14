// SPDX-License-Identifier: MIT
/*
 * Unit tests: sk/arch/x86/tpm_crb.c, the secure kernel's TPM2_GetRandom
 * over CRB. The command encoding and response parser directly; the
 * register protocol against a simulated CRB register page that can be
 * told to misbehave (never grant, never leave idle, never finish, report
 * buffers outside its page, answer with hostile responses). The real TPM
 * (QEMU tpm-crb + swtpm) is exercised by tests/integration/vtl1.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/tpm_crb.h"

#define BASE SK_TPM_LOC0_BASE

enum rsp_mode {
	RSP_OK, RSP_TAG, RSP_SIZE_BIG, RSP_SIZE_MISMATCH, RSP_N_GT_REQ,
	RSP_N_ZERO, RSP_RC, RSP_SHORT, RSP_SIZE_HUGE, RSP_N_HUGE, RSP_TRAILING,
};

struct sim {
	uint32_t intf_id, loc_state, loc_sts, ctrl_sts, ctrl_req, start;
	uint32_t cmd_size, cmd_lo, cmd_hi, rsp_size, rsp_lo, rsp_hi;
	uint8_t page[SK_TPM_LOC0_SIZE];
	uint64_t clock;
	int clock_stuck;
	int grant_never, ready_never, idle_never, start_never, relinquish_never;
	int fatal;
	enum rsp_mode mode;
	uint32_t reads, loc_ctrl_writes, cancel_writes, bad_access;
	uint32_t commands;
	uint8_t next_byte;
	uint8_t last_cmd[SK_TPM_GETRANDOM_CMD_LEN];
};

static struct sim sim;

static void sim_reset(void)
{
	memset(&sim, 0, sizeof(sim));
	/* As QEMU's tpm-crb after reset: CRB active, version CRB, CapCRB,
	 * registers valid, idle, one buffer at 0x80 to the page's end. */
	sim.intf_id = 0x1 | 0x1 << 4 | 1u << 14 | 1u << 17 | 3u << 11;
	sim.loc_state = SK_CRB_LOC_STATE_VALID;
	sim.ctrl_sts = SK_CRB_STS_IDLE;
	sim.cmd_size = sim.rsp_size = SK_TPM_LOC0_SIZE - SK_CRB_DATA_BUFFER;
	sim.cmd_lo = sim.rsp_lo = (uint32_t)(BASE + SK_CRB_DATA_BUFFER);
	sim.next_byte = 0x40;
}

static int sim_loc0(void)
{
	return (sim.loc_state & SK_CRB_LOC_STATE_ASSIGNED) &&
	       SK_CRB_LOC_STATE_ACTIVE(sim.loc_state) == 0;
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

/* The TPM's side: reads the command at the command buffer, writes a
 * response (honest or hostile) at the response buffer. */
static void sim_execute(void)
{
	uint32_t cmd = sim.cmd_lo - (uint32_t)BASE, rsp = sim.rsp_lo - (uint32_t)BASE;
	uint8_t *r = sim.page + rsp;
	uint16_t want = (uint16_t)(sim.page[cmd + 10] << 8 | sim.page[cmd + 11]);
	uint32_t i, n = want;

	memcpy(sim.last_cmd, sim.page + cmd, sizeof(sim.last_cmd));
	sim.commands++;
	put16(r, SK_TPM_ST_NO_SESSIONS);
	put32(r + 6, 0);
	for (i = 0; i < n; i++)
		r[12 + i] = sim.next_byte++;
	switch (sim.mode) {
	case RSP_TAG: put16(r, 0x8002); break;
	case RSP_N_GT_REQ: n = want + 1u; r[12 + want] = 0xee; break;
	case RSP_N_ZERO: n = 0; break;
	case RSP_N_HUGE: n = 0xffff; break;
	default: break;
	}
	put16(r + 10, n);
	put32(r + 2, 12 + (n == 0xffff ? want : n));
	switch (sim.mode) {
	case RSP_SIZE_BIG: put32(r + 2, sim.rsp_size + 1); break;
	case RSP_SIZE_MISMATCH: put32(r + 2, 12 + n - 1); break;
	case RSP_RC: put32(r + 2, 10); put32(r + 6, 0x0000098e); break;
	case RSP_SHORT: put32(r + 2, 9); break;
	case RSP_SIZE_HUGE: put32(r + 2, 0xffffffffu); break;
	case RSP_TRAILING: put32(r + 2, 12 + n + 1); break;
	default: break;
	}
}

static uint32_t sim_rd32(void *ctx, uint32_t off)
{
	(void)ctx;
	sim.reads++;
	switch (off) {
	case SK_CRB_LOC_STATE: return sim.loc_state;
	case SK_CRB_LOC_STS: return sim.loc_sts;
	case SK_CRB_INTF_ID: return sim.intf_id;
	case SK_CRB_CTRL_REQ: return sim.ctrl_req;
	case SK_CRB_CTRL_STS: return sim.ctrl_sts;
	case SK_CRB_CTRL_START: return sim.start;
	case SK_CRB_CMD_SIZE: return sim.cmd_size;
	case SK_CRB_CMD_LADDR: return sim.cmd_lo;
	case SK_CRB_CMD_HADDR: return sim.cmd_hi;
	case SK_CRB_RSP_SIZE: return sim.rsp_size;
	case SK_CRB_RSP_ADDR_LO: return sim.rsp_lo;
	case SK_CRB_RSP_ADDR_HI: return sim.rsp_hi;
	default: sim.bad_access++; return 0;
	}
}

static void sim_wr32(void *ctx, uint32_t off, uint32_t v)
{
	(void)ctx;
	switch (off) {
	case SK_CRB_LOC_CTRL:
		sim.loc_ctrl_writes++;
		if (v == SK_CRB_LOC_CTRL_REQUEST && !sim.grant_never &&
		    !(sim.loc_state & SK_CRB_LOC_STATE_ASSIGNED)) {
			sim.loc_state |= SK_CRB_LOC_STATE_ASSIGNED;
			sim.loc_sts = SK_CRB_LOC_STS_GRANTED;
		} else if (v == SK_CRB_LOC_CTRL_RELINQUISH &&
			   !sim.relinquish_never && sim_loc0()) {
			sim.loc_state &= ~SK_CRB_LOC_STATE_ASSIGNED;
			sim.loc_sts = 0;
		}
		break;
	case SK_CRB_CTRL_REQ:
		if (v == SK_CRB_REQ_CMD_READY && !sim.ready_never)
			sim.ctrl_sts &= ~SK_CRB_STS_IDLE;
		else if (v == SK_CRB_REQ_GO_IDLE && !sim.idle_never)
			sim.ctrl_sts |= SK_CRB_STS_IDLE;
		else
			sim.ctrl_req = v;   /* never acknowledged */
		break;
	case SK_CRB_CTRL_START:
		if (v != SK_CRB_START || !sim_loc0() ||
		    (sim.ctrl_sts & SK_CRB_STS_IDLE))
			break;
		if (sim.start_never) {
			sim.start = 1;
			break;
		}
		sim_execute();
		if (sim.fatal)
			sim.ctrl_sts |= SK_CRB_STS_FATAL;
		break;
	case SK_CRB_CTRL_CANCEL:
		sim.cancel_writes++;
		break;
	default:
		sim.bad_access++;
	}
}

static uint8_t sim_rd8(void *ctx, uint32_t off)
{
	(void)ctx;
	if (off < SK_CRB_DATA_BUFFER || off >= SK_TPM_LOC0_SIZE) {
		sim.bad_access++;
		return 0;
	}
	return sim.page[off];
}

static void sim_wr8(void *ctx, uint32_t off, uint8_t v)
{
	(void)ctx;
	if (off < SK_CRB_DATA_BUFFER || off >= SK_TPM_LOC0_SIZE) {
		sim.bad_access++;
		return;
	}
	sim.page[off] = v;
}

static uint64_t sim_now(void *ctx)
{
	(void)ctx;
	return sim.clock_stuck ? sim.clock : sim.clock++;
}

static const struct sk_tpm_io io = {
	.ctx = 0, .base = BASE, .rd32 = sim_rd32, .wr32 = sim_wr32,
	.rd8 = sim_rd8, .wr8 = sim_wr8, .now = sim_now,
	.ticks_per_ms = 10, .polls_per_ms = 100,
};

static int setup(void **state)
{
	(void)state;
	sim_reset();
	return 0;
}

/* The TPM was left as found: idle, locality 0 as it was, no access
 * outside the registers and the data buffer. */
static void assert_left_idle(int loc_assigned)
{
	assert_true(sim.ctrl_sts & SK_CRB_STS_IDLE);
	assert_int_equal(sim_loc0(), loc_assigned);
	assert_int_equal(sim.bad_access, 0);
}

static int all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

/* ---- pure parts ---- */

static void test_cmd_encoding(void **state)
{
	static const uint8_t want[] = { 0x80, 0x01, 0, 0, 0, 0x0c,
					0, 0, 0x01, 0x7b, 0x00, 0x20 };
	uint8_t cmd[SK_TPM_GETRANDOM_CMD_LEN];

	(void)state;
	sk_tpm2_getrandom_cmd(cmd, 32);
	assert_memory_equal(cmd, want, sizeof(want));
	sk_tpm2_getrandom_cmd(cmd, 0x1234);
	assert_int_equal(cmd[10], 0x12);
	assert_int_equal(cmd[11], 0x34);
}

static void test_parse(void **state)
{
	uint8_t r[64] = { 0x80, 0x01, 0, 0, 0, 14, 0, 0, 0, 0, 0, 2, 0xaa, 0xbb };
	const uint8_t *bytes;
	uint16_t n;
	uint32_t rc;

	(void)state;
	assert_int_equal(sk_tpm2_getrandom_parse(r, 14, 32, &bytes, &n, &rc), SK_TPM_OK);
	assert_int_equal(n, 2);
	assert_ptr_equal(bytes, r + 12);
	/* n above the request, zero, not ending at responseSize */
	assert_int_equal(sk_tpm2_getrandom_parse(r, 14, 1, &bytes, &n, &rc), SK_TPM_E_RESPONSE);
	assert_null(bytes);
	assert_int_equal(n, 0);
	r[11] = 0;
	assert_int_equal(sk_tpm2_getrandom_parse(r, 14, 32, &bytes, &n, &rc), SK_TPM_E_RESPONSE);
	r[11] = 3;
	assert_int_equal(sk_tpm2_getrandom_parse(r, 14, 32, &bytes, &n, &rc), SK_TPM_E_RESPONSE);
	r[11] = 1;
	assert_int_equal(sk_tpm2_getrandom_parse(r, 14, 32, &bytes, &n, &rc), SK_TPM_E_RESPONSE);
	r[11] = 0xff;
	r[10] = 0xff;
	assert_int_equal(sk_tpm2_getrandom_parse(r, 14, 32, &bytes, &n, &rc), SK_TPM_E_RESPONSE);
	r[10] = 0;
	r[11] = 2;
	/* responseSize other than the bytes given */
	assert_int_equal(sk_tpm2_getrandom_parse(r, 13, 32, &bytes, &n, &rc), SK_TPM_E_RESPONSE);
	assert_int_equal(sk_tpm2_getrandom_parse(r, 15, 32, &bytes, &n, &rc), SK_TPM_E_RESPONSE);
	/* wrong tag (TPM_ST_SESSIONS, TPM 1.2's TPM_TAG_RSP_COMMAND) */
	r[1] = 0x02;
	assert_int_equal(sk_tpm2_getrandom_parse(r, 14, 32, &bytes, &n, &rc), SK_TPM_E_RESPONSE);
	r[0] = 0x00; r[1] = 0xc4;
	assert_int_equal(sk_tpm2_getrandom_parse(r, 14, 32, &bytes, &n, &rc), SK_TPM_E_RESPONSE);
	r[0] = 0x80; r[1] = 0x01;
	/* shorter than a header, or NULL */
	assert_int_equal(sk_tpm2_getrandom_parse(r, 9, 32, &bytes, &n, &rc), SK_TPM_E_RESPONSE);
	assert_int_equal(sk_tpm2_getrandom_parse(NULL, 14, 32, &bytes, &n, &rc), SK_TPM_E_RESPONSE);
	/* header only with success: no TPM2B */
	r[5] = 10;
	assert_int_equal(sk_tpm2_getrandom_parse(r, 10, 32, &bytes, &n, &rc), SK_TPM_E_RESPONSE);
	/* an error response: TPM_RC_INITIALIZE (0x100) */
	r[8] = 0x01;
	assert_int_equal(sk_tpm2_getrandom_parse(r, 10, 32, &bytes, &n, &rc), SK_TPM_E_RC);
	assert_int_equal(rc, 0x100);
}

static void test_buffer_ok(void **state)
{
	uint32_t off = 0;

	(void)state;
	assert_true(sk_tpm_crb_buffer_ok(BASE, BASE + 0x80, 0xf80, 12, &off));
	assert_int_equal(off, 0x80);
	assert_true(sk_tpm_crb_buffer_ok(BASE, BASE + 0xff4, 12, 12, &off));
	assert_int_equal(off, 0xff4);
	/* over the registers, before the page, after it, across its end */
	assert_false(sk_tpm_crb_buffer_ok(BASE, BASE + 0x40, 0x100, 12, &off));
	assert_false(sk_tpm_crb_buffer_ok(BASE, BASE, 0xf80, 12, &off));
	assert_false(sk_tpm_crb_buffer_ok(BASE, BASE - 0x1000, 0xf80, 12, &off));
	assert_false(sk_tpm_crb_buffer_ok(BASE, BASE + 0x1000, 0x80, 12, &off));
	assert_false(sk_tpm_crb_buffer_ok(BASE, BASE + 0x2080, 0x80, 12, &off));
	assert_false(sk_tpm_crb_buffer_ok(BASE, BASE + 0x80, 0xf81, 12, &off));
	assert_false(sk_tpm_crb_buffer_ok(BASE, BASE + 0xff8, 12, 12, &off));
	/* elsewhere entirely (RAM), wrapping values */
	assert_false(sk_tpm_crb_buffer_ok(BASE, 0x100000, 0x1000, 12, &off));
	assert_false(sk_tpm_crb_buffer_ok(BASE, ~0ull, 0xffffffffu, 12, &off));
	assert_false(sk_tpm_crb_buffer_ok(BASE, BASE + 0x80, 0xffffffffu, 12, &off));
	/* too small for what must fit */
	assert_false(sk_tpm_crb_buffer_ok(BASE, BASE + 0x80, 11, 12, &off));
}

/* ---- the register protocol ---- */

static void test_random_honest(void **state)
{
	uint8_t buf[40], want[40];
	struct sk_tpm_result res;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(want); i++)
		want[i] = (uint8_t)(0x40 + i);
	assert_int_equal(sk_tpm_crb_random(&io, buf, sizeof(buf), &res), SK_TPM_OK);
	assert_int_equal(res.status, SK_TPM_OK);
	assert_int_equal(res.intf_id, sim.intf_id);
	assert_int_equal(res.commands, 2);          /* 32 + 8 */
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(sim.last_cmd[11], 8);
	assert_int_equal(sim.loc_ctrl_writes, 2);   /* request, relinquish */
	assert_left_idle(0);
}

static void test_locality_kept_when_found_assigned(void **state)
{
	uint8_t buf[32];
	struct sk_tpm_result res;

	(void)state;
	/* The firmware holds locality 0 and keeps sending commands on it. */
	sim.loc_state |= SK_CRB_LOC_STATE_ASSIGNED;
	sim.loc_sts = SK_CRB_LOC_STS_GRANTED;
	assert_int_equal(sk_tpm_crb_random(&io, buf, sizeof(buf), &res), SK_TPM_OK);
	assert_int_equal(sim.loc_ctrl_writes, 0);
	assert_left_idle(1);
}

static void test_other_locality_never_seized(void **state)
{
	uint8_t buf[32];
	struct sk_tpm_result res;

	(void)state;
	sim.loc_state |= SK_CRB_LOC_STATE_ASSIGNED | 2u << 2;
	assert_int_equal(sk_tpm_crb_random(&io, buf, sizeof(buf), &res), SK_TPM_E_LOCALITY);
	assert_int_equal(sim.loc_ctrl_writes, 0);
	assert_int_equal(sim.commands, 0);
	assert_true(all_zero(buf, sizeof(buf)));
}

static void test_registers_not_valid(void **state)
{
	uint8_t buf[32];
	struct sk_tpm_result res;

	(void)state;
	sim.loc_state = 0;
	assert_int_equal(sk_tpm_crb_random(&io, buf, sizeof(buf), &res), SK_TPM_E_LOCALITY);
	assert_int_equal(sim.loc_ctrl_writes, 0);
}

static void test_absent_and_not_crb(void **state)
{
	static const uint32_t absent[] = { 0, 0xffffffffu };
	/* FIFO (PTP), TIS 1.3, CRB type without CapCRB, CRB type with FIFO
	 * version, CRB idle-bypass-less QEMU value without CapCRB. */
	static const uint32_t other[] = { 0x00002000u, 0x0000000fu, 0x00000011u,
					  0x00004001u, 0x00000f01u };
	uint8_t buf[32];
	struct sk_tpm_result res;
	unsigned int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		sim_reset();
		sim.intf_id = absent[i];
		assert_int_equal(sk_tpm_crb_random(&io, buf, sizeof(buf), &res), SK_TPM_ABSENT);
		assert_int_equal(sim.reads, 1);     /* nothing but the id */
		assert_int_equal(sim.loc_ctrl_writes, 0);
	}
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		sim_reset();
		sim.intf_id = other[i];
		assert_int_equal(sk_tpm_crb_random(&io, buf, sizeof(buf), &res), SK_TPM_NOT_CRB);
		assert_int_equal(res.intf_id, other[i]);
		assert_int_equal(sim.reads, 1);
		assert_int_equal(sim.loc_ctrl_writes, 0);
		assert_true(sim.ctrl_sts & SK_CRB_STS_IDLE);
	}
}

static void test_bad_arguments(void **state)
{
	uint8_t buf[SK_TPM_RANDOM_MAX + 1];
	struct sk_tpm_result res;

	(void)state;
	assert_int_equal(sk_tpm_crb_random(&io, buf, 0, &res), SK_TPM_E_ARG);
	assert_int_equal(sk_tpm_crb_random(&io, buf, sizeof(buf), &res), SK_TPM_E_ARG);
	assert_int_equal(sk_tpm_crb_random(&io, NULL, 8, &res), SK_TPM_E_ARG);
	assert_int_equal(sim.reads, 0);
}

/* Buffers the TPM reports outside its page: refused, never followed. */
static void test_hostile_buffers(void **state)
{
	static const struct { uint64_t cmd, rsp; uint32_t csize, rsize; } c[] = {
		{ BASE + 0x1080, BASE + 0x80, 0xf80, 0xf80 },   /* next page */
		{ 0x1000, BASE + 0x80, 0xf80, 0xf80 },          /* RAM */
		{ BASE + 0x80, BASE + 0x40, 0xf80, 0xf80 },     /* registers */
		{ BASE + 0x80, BASE + 0x80, 0xf80, 0x10000 },   /* too long */
		{ BASE + 0x80, BASE + 0x80, 4, 0xf80 },         /* too short */
		{ BASE + 0x80 + (1ull << 32), BASE + 0x80, 0xf80, 0xf80 }, /* high half */
		{ BASE + 0x80, BASE + 0x80 + (1ull << 40), 0xf80, 0xf80 },
	};
	uint8_t buf[32];
	struct sk_tpm_result res;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		sim_reset();
		sim.cmd_lo = (uint32_t)c[i].cmd;
		sim.cmd_hi = (uint32_t)(c[i].cmd >> 32);
		sim.rsp_lo = (uint32_t)c[i].rsp;
		sim.rsp_hi = (uint32_t)(c[i].rsp >> 32);
		sim.cmd_size = c[i].csize;
		sim.rsp_size = c[i].rsize;
		assert_int_equal(sk_tpm_crb_random(&io, buf, sizeof(buf), &res), SK_TPM_E_BUFFER);
		assert_int_equal(sim.commands, 0);
		assert_left_idle(0);
	}
}

static void test_hostile_responses(void **state)
{
	static const struct { enum rsp_mode mode; int want; } c[] = {
		{ RSP_TAG, SK_TPM_E_RESPONSE }, { RSP_SIZE_BIG, SK_TPM_E_RESPONSE },
		{ RSP_SIZE_MISMATCH, SK_TPM_E_RESPONSE },
		{ RSP_N_GT_REQ, SK_TPM_E_RESPONSE }, { RSP_N_ZERO, SK_TPM_E_RESPONSE },
		{ RSP_RC, SK_TPM_E_RC }, { RSP_SHORT, SK_TPM_E_RESPONSE },
		{ RSP_SIZE_HUGE, SK_TPM_E_RESPONSE }, { RSP_N_HUGE, SK_TPM_E_RESPONSE },
		{ RSP_TRAILING, SK_TPM_E_RESPONSE },
	};
	uint8_t buf[40];
	struct sk_tpm_result res;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		sim_reset();
		sim.mode = c[i].mode;
		memset(buf, 0x5a, sizeof(buf));
		assert_int_equal(sk_tpm_crb_random(&io, buf, sizeof(buf), &res), c[i].want);
		assert_int_equal(res.commands, 0);
		assert_true(all_zero(buf, sizeof(buf)));  /* nothing half-filled */
		assert_left_idle(0);
		if (c[i].mode == RSP_RC)
			assert_int_equal(res.tpm_rc, 0x98e);
	}
}

static void test_fatal(void **state)
{
	uint8_t buf[32];
	struct sk_tpm_result res;

	(void)state;
	sim.fatal = 1;
	assert_int_equal(sk_tpm_crb_random(&io, buf, sizeof(buf), &res), SK_TPM_E_FATAL);
	assert_true(all_zero(buf, sizeof(buf)));
	assert_left_idle(0);
}

/* Every wait ends, with its own failure code, and the TPM is put back. */
static void test_timeouts(void **state)
{
	uint8_t buf[32];
	struct sk_tpm_result res;

	(void)state;
	sim.grant_never = 1;
	assert_int_equal(sk_tpm_crb_random(&io, buf, sizeof(buf), &res), SK_TPM_E_LOCALITY);
	assert_int_equal(sim.loc_ctrl_writes, 2);   /* request, then relinquish */
	assert_true(sim.clock >= SK_TPM_TIMEOUT_A_MS * io.ticks_per_ms);

	sim_reset();
	sim.ready_never = 1;
	assert_int_equal(sk_tpm_crb_random(&io, buf, sizeof(buf), &res), SK_TPM_E_READY);
	assert_int_equal(sim.commands, 0);
	assert_left_idle(0);

	sim_reset();
	sim.start_never = 1;
	assert_int_equal(sk_tpm_crb_random(&io, buf, sizeof(buf), &res), SK_TPM_E_TIMEOUT);
	assert_int_equal(sim.cancel_writes, 2);     /* cancel, then clear it */
	assert_true(sim.clock >= SK_TPM_TIMEOUT_B_MS * io.ticks_per_ms);
	assert_left_idle(0);

	sim_reset();
	sim.idle_never = 1;
	assert_int_equal(sk_tpm_crb_random(&io, buf, sizeof(buf), &res), SK_TPM_E_IDLE);
	assert_true(all_zero(buf, sizeof(buf)));
	assert_int_equal(sim_loc0(), 0);

	sim_reset();
	sim.relinquish_never = 1;
	assert_int_equal(sk_tpm_crb_random(&io, buf, sizeof(buf), &res), SK_TPM_E_RELINQUISH);
	assert_true(all_zero(buf, sizeof(buf)));
}

/* A clock that stands still: the iteration limit still ends the wait. */
static void test_stuck_clock(void **state)
{
	uint8_t buf[32];
	struct sk_tpm_result res;

	(void)state;
	sim.clock_stuck = 1;
	sim.start_never = 1;
	assert_int_equal(sk_tpm_crb_random(&io, buf, sizeof(buf), &res), SK_TPM_E_TIMEOUT);
	assert_true(sim.reads <= 4 * (SK_TPM_TIMEOUT_B_MS * io.polls_per_ms + 50));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmd_encoding),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_buffer_ok),
		cmocka_unit_test_setup(test_random_honest, setup),
		cmocka_unit_test_setup(test_locality_kept_when_found_assigned, setup),
		cmocka_unit_test_setup(test_other_locality_never_seized, setup),
		cmocka_unit_test_setup(test_registers_not_valid, setup),
		cmocka_unit_test_setup(test_absent_and_not_crb, setup),
		cmocka_unit_test_setup(test_bad_arguments, setup),
		cmocka_unit_test_setup(test_hostile_buffers, setup),
		cmocka_unit_test_setup(test_hostile_responses, setup),
		cmocka_unit_test_setup(test_fatal, setup),
		cmocka_unit_test_setup(test_timeouts, setup),
		cmocka_unit_test_setup(test_stuck_clock, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
