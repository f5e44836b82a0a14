// SPDX-License-Identifier: MIT
/*
 * TPM2_GetRandom over the CRB interface (sk/arch/x86/tpm_crb.h).
 *
 * PTP (TCG PC Client Platform TPM Profile for TPM 2.0, v1.05) chapter 6:
 * the interface identifier register says which interface the TPM has;
 * a CRB transaction is: locality request (TPM_LOC_CTRL_x.requestAccess,
 * wait for TPM_LOC_STS_x.Granted, TIMEOUT_A), Idle -> Ready
 * (TPM_CRB_CTRL_REQ_x.cmdReady, the TPM clears it and tpmIdle, TIMEOUT_C),
 * command written into the command buffer the TPM reports
 * (TPM_CRB_CTRL_CMD_LADDR/HADDR/SIZE), TPM_CRB_CTRL_START_x = 1 and wait
 * until the TPM clears it (Command Execution -> Completion, TIMEOUT_B),
 * response read from the response buffer (TPM_CRB_CTRL_RSP_ADDR/SIZE),
 * back to Idle (goIdle; the TPM keeps the response until then), locality
 * relinquished (TPM_LOC_CTRL_x.relinquish).
 *
 * Pure: every register access goes through struct sk_tpm_io. Nothing the
 * TPM reports is trusted: buffer addresses must lie in the locality-0
 * page after the registers (never followed elsewhere), the response is
 * parsed by offset with every length checked, every wait is bounded by
 * the clock and by an iteration count.
 */
#include "arch/x86/tpm_crb.h"

static uint32_t be16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
	return be16(p) << 16 | be16(p + 2);
}

/* Part 3 §16.1 TPM2_GetRandom command: tag TPMI_ST_COMMAND_TAG =
 * TPM_ST_NO_SESSIONS, commandSize UINT32, commandCode TPM_CC_GetRandom,
 * bytesRequested UINT16. */
void sk_tpm2_getrandom_cmd(uint8_t out[SK_TPM_GETRANDOM_CMD_LEN], uint16_t n)
{
	out[0] = (uint8_t)(SK_TPM_ST_NO_SESSIONS >> 8);
	out[1] = (uint8_t)SK_TPM_ST_NO_SESSIONS;
	out[2] = 0;
	out[3] = 0;
	out[4] = 0;
	out[5] = SK_TPM_GETRANDOM_CMD_LEN;
	out[6] = (uint8_t)(SK_TPM_CC_GET_RANDOM >> 24);
	out[7] = (uint8_t)(SK_TPM_CC_GET_RANDOM >> 16);
	out[8] = (uint8_t)(SK_TPM_CC_GET_RANDOM >> 8);
	out[9] = (uint8_t)SK_TPM_CC_GET_RANDOM;
	out[10] = (uint8_t)(n >> 8);
	out[11] = (uint8_t)n;
}

/* Part 3 §16.1 TPM2_GetRandom response: tag TPM_ST @0, responseSize
 * UINT32 @2, responseCode TPM_RC @6, randomBytes TPM2B_DIGEST @10 (UINT16
 * size, then that many bytes; Part 2 §10.4.2). An error response is the
 * 10-byte header alone. */
int sk_tpm2_getrandom_parse(const uint8_t *rsp, size_t rsp_len,
			    uint16_t requested, const uint8_t **bytes,
			    uint16_t *n, uint32_t *tpm_rc)
{
	uint32_t size, count;

	*bytes = 0;
	*n = 0;
	*tpm_rc = 0;
	if (!rsp || rsp_len < SK_TPM_HEADER_LEN)
		return SK_TPM_E_RESPONSE;
	if (be16(rsp) != SK_TPM_ST_NO_SESSIONS)
		return SK_TPM_E_RESPONSE;
	size = be32(rsp + 2);
	if (size != rsp_len)
		return SK_TPM_E_RESPONSE;
	*tpm_rc = be32(rsp + 6);
	if (*tpm_rc != 0)
		return SK_TPM_E_RC;
	if (size < SK_TPM_HEADER_LEN + 2)
		return SK_TPM_E_RESPONSE;
	count = be16(rsp + SK_TPM_HEADER_LEN);
	if (count == 0 || count > requested ||
	    count != size - SK_TPM_HEADER_LEN - 2)
		return SK_TPM_E_RESPONSE;
	*bytes = rsp + SK_TPM_HEADER_LEN + 2;
	*n = (uint16_t)count;
	return SK_TPM_OK;
}

int sk_tpm_crb_buffer_ok(uint64_t base, uint64_t addr, uint32_t size,
			 uint32_t need, uint32_t *off)
{
	uint64_t start;

	if (addr < base || addr - base < SK_CRB_DATA_BUFFER ||
	    addr - base >= SK_TPM_LOC0_SIZE)
		return 0;
	start = addr - base;
	if (size < need || size > SK_TPM_LOC0_SIZE - start)
		return 0;
	*off = (uint32_t)start;
	return 1;
}

/* Polls reg until (value & mask) == want, for at most ms milliseconds
 * of io->now() and at most ms * polls_per_ms reads. */
static int wait_reg(const struct sk_tpm_io *io, uint32_t reg, uint32_t mask,
		    uint32_t want, uint32_t ms)
{
	uint64_t start = io->now(io->ctx), limit = ms * io->ticks_per_ms;
	uint64_t polls = ms * io->polls_per_ms, i;

	for (i = 0; i <= polls; i++) {
		if ((io->rd32(io->ctx, reg) & mask) == want)
			return 1;
		if (io->now(io->ctx) - start > limit)
			break;
		__asm__ __volatile__("pause");
	}
	return (io->rd32(io->ctx, reg) & mask) == want;
}

/* Locality 0 assigned and the registers valid (TPM_LOC_STATE_x). */
static int loc0_assigned(uint32_t state)
{
	return (state & SK_CRB_LOC_STATE_VALID) &&
	       (state & SK_CRB_LOC_STATE_ASSIGNED) &&
	       SK_CRB_LOC_STATE_ACTIVE(state) == 0;
}

/* requestAccess for locality 0 unless it is ours already. *requested
 * says whether we must relinquish it afterwards. */
static int locality_take(const struct sk_tpm_io *io, int *requested)
{
	uint32_t state = io->rd32(io->ctx, SK_CRB_LOC_STATE);

	*requested = 0;
	if (!(state & SK_CRB_LOC_STATE_VALID))
		return SK_TPM_E_LOCALITY;
	if (loc0_assigned(state))
		return SK_TPM_OK;
	if (state & SK_CRB_LOC_STATE_ASSIGNED)
		return SK_TPM_E_LOCALITY;    /* another locality: never seize */
	*requested = 1;
	io->wr32(io->ctx, SK_CRB_LOC_CTRL, SK_CRB_LOC_CTRL_REQUEST);
	if (!wait_reg(io, SK_CRB_LOC_STS, SK_CRB_LOC_STS_GRANTED,
		      SK_CRB_LOC_STS_GRANTED, SK_TPM_TIMEOUT_A_MS) ||
	    !loc0_assigned(io->rd32(io->ctx, SK_CRB_LOC_STATE)))
		return SK_TPM_E_LOCALITY;
	return SK_TPM_OK;
}

static int locality_release(const struct sk_tpm_io *io)
{
	io->wr32(io->ctx, SK_CRB_LOC_CTRL, SK_CRB_LOC_CTRL_RELINQUISH);
	if (!wait_reg(io, SK_CRB_LOC_STS, SK_CRB_LOC_STS_GRANTED, 0,
		      SK_TPM_TIMEOUT_A_MS))
		return SK_TPM_E_RELINQUISH;
	return SK_TPM_OK;
}

/* Idle -> Ready: cmdReady, which the TPM clears along with tpmIdle. */
static int go_ready(const struct sk_tpm_io *io)
{
	io->wr32(io->ctx, SK_CRB_CTRL_REQ, SK_CRB_REQ_CMD_READY);
	if (!wait_reg(io, SK_CRB_CTRL_REQ, SK_CRB_REQ_CMD_READY, 0,
		      SK_TPM_TIMEOUT_C_MS) ||
	    !wait_reg(io, SK_CRB_CTRL_STS, SK_CRB_STS_IDLE, 0,
		      SK_TPM_TIMEOUT_C_MS))
		return SK_TPM_E_READY;
	return SK_TPM_OK;
}

/* -> Idle: goIdle, which the TPM clears, setting tpmIdle. */
static int go_idle(const struct sk_tpm_io *io)
{
	io->wr32(io->ctx, SK_CRB_CTRL_REQ, SK_CRB_REQ_GO_IDLE);
	if (!wait_reg(io, SK_CRB_CTRL_REQ, SK_CRB_REQ_GO_IDLE, 0,
		      SK_TPM_TIMEOUT_C_MS) ||
	    !wait_reg(io, SK_CRB_CTRL_STS, SK_CRB_STS_IDLE, SK_CRB_STS_IDLE,
		      SK_TPM_TIMEOUT_C_MS))
		return SK_TPM_E_IDLE;
	return SK_TPM_OK;
}

struct crb_buffers {
	uint32_t cmd_off;
	uint32_t rsp_off;
	uint32_t rsp_size;
};

/* The buffers the TPM reports, read after cmdReady (some TPMs do not keep
 * these registers while idle), checked against the locality-0 page. */
static int buffers_read(const struct sk_tpm_io *io, struct crb_buffers *b)
{
	uint64_t cmd = io->rd32(io->ctx, SK_CRB_CMD_LADDR) |
		       (uint64_t)io->rd32(io->ctx, SK_CRB_CMD_HADDR) << 32;
	uint64_t rsp = io->rd32(io->ctx, SK_CRB_RSP_ADDR_LO) |
		       (uint64_t)io->rd32(io->ctx, SK_CRB_RSP_ADDR_HI) << 32;
	uint32_t cmd_size = io->rd32(io->ctx, SK_CRB_CMD_SIZE);

	b->rsp_size = io->rd32(io->ctx, SK_CRB_RSP_SIZE);
	if (!sk_tpm_crb_buffer_ok(io->base, cmd, cmd_size,
				  SK_TPM_GETRANDOM_CMD_LEN, &b->cmd_off) ||
	    !sk_tpm_crb_buffer_ok(io->base, rsp, b->rsp_size,
				  SK_TPM_HEADER_LEN, &b->rsp_off))
		return SK_TPM_E_BUFFER;
	return SK_TPM_OK;
}

/* Start, and wait for the TPM to clear it; on a timeout, cancel
 * (TPM_CRB_CTRL_CANCEL_x) and wait once more. */
static int execute(const struct sk_tpm_io *io)
{
	io->wr32(io->ctx, SK_CRB_CTRL_START, SK_CRB_START);
	if (wait_reg(io, SK_CRB_CTRL_START, SK_CRB_START, 0,
		     SK_TPM_TIMEOUT_B_MS))
		return SK_TPM_OK;
	io->wr32(io->ctx, SK_CRB_CTRL_CANCEL, SK_CRB_CANCEL);
	wait_reg(io, SK_CRB_CTRL_START, SK_CRB_START, 0, SK_TPM_TIMEOUT_B_MS);
	io->wr32(io->ctx, SK_CRB_CTRL_CANCEL, 0);
	return SK_TPM_E_TIMEOUT;
}

/* Reads the response: the header first, then responseSize bytes if that
 * fits both the reported buffer and rsp[]. */
static int response_read(const struct sk_tpm_io *io,
			 const struct crb_buffers *b,
			 uint8_t rsp[SK_TPM_RSP_MAX], uint32_t *len)
{
	uint32_t i, size;

	for (i = 0; i < SK_TPM_HEADER_LEN; i++)
		rsp[i] = io->rd8(io->ctx, b->rsp_off + i);
	size = be32(rsp + 2);
	if (size < SK_TPM_HEADER_LEN || size > b->rsp_size ||
	    size > SK_TPM_RSP_MAX)
		return SK_TPM_E_RESPONSE;
	for (; i < size; i++)
		rsp[i] = io->rd8(io->ctx, b->rsp_off + i);
	*len = size;
	return SK_TPM_OK;
}

/* One TPM2_GetRandom for want bytes, from Idle back to Idle. */
static int get_random_once(const struct sk_tpm_io *io, uint8_t *out,
			   uint16_t want, uint16_t *got, uint32_t *tpm_rc)
{
	uint8_t cmd[SK_TPM_GETRANDOM_CMD_LEN], rsp[SK_TPM_RSP_MAX];
	const uint8_t *bytes;
	struct crb_buffers b;
	uint32_t i, len = 0;
	int st, idle;

	*got = 0;
	st = go_ready(io);
	if (st == SK_TPM_OK)
		st = buffers_read(io, &b);
	if (st == SK_TPM_OK) {
		sk_tpm2_getrandom_cmd(cmd, want);
		for (i = 0; i < sizeof(cmd); i++)
			io->wr8(io->ctx, b.cmd_off + i, cmd[i]);
		st = execute(io);
	}
	if (st == SK_TPM_OK &&
	    (io->rd32(io->ctx, SK_CRB_CTRL_STS) & SK_CRB_STS_FATAL))
		st = SK_TPM_E_FATAL;
	if (st == SK_TPM_OK)
		st = response_read(io, &b, rsp, &len);
	if (st == SK_TPM_OK)
		st = sk_tpm2_getrandom_parse(rsp, len, want, &bytes, got,
					     tpm_rc);
	if (st == SK_TPM_OK)
		for (i = 0; i < *got; i++)
			out[i] = bytes[i];
	for (i = 0; i < sizeof(rsp); i++)
		((volatile uint8_t *)rsp)[i] = 0;
	idle = go_idle(io);
	return st != SK_TPM_OK ? st : idle;
}

/* Interface identifier (PTP "Interface Identifier Register"): CRB when
 * InterfaceType and InterfaceVersion are 1 and CapCRB is set. */
static int interface_check(uint32_t id)
{
	if (id == 0 || id == 0xffffffffu)
		return SK_TPM_ABSENT;
	if (SK_CRB_INTF_TYPE(id) != 1 || SK_CRB_INTF_VERSION(id) != 1 ||
	    !(id & SK_CRB_INTF_CAP_CRB))
		return SK_TPM_NOT_CRB;
	return SK_TPM_OK;
}

int sk_tpm_crb_random(const struct sk_tpm_io *io, void *buf, size_t len,
		      struct sk_tpm_result *res)
{
	uint8_t *p = buf;
	size_t done = 0;
	uint16_t got, want;
	int requested = 0, st, rel;

	res->status = SK_TPM_E_ARG;
	res->intf_id = 0;
	res->tpm_rc = 0;
	res->commands = 0;
	if (!io || !buf || len == 0 || len > SK_TPM_RANDOM_MAX)
		return res->status;
	res->intf_id = io->rd32(io->ctx, SK_CRB_INTF_ID);
	st = interface_check(res->intf_id);
	if (st == SK_TPM_OK)
		st = locality_take(io, &requested);
	/* Every command must deliver at least one byte: at most len rounds. */
	while (st == SK_TPM_OK && done < len) {
		want = (uint16_t)(len - done < SK_TPM_CHUNK ? len - done :
				  SK_TPM_CHUNK);
		st = get_random_once(io, p + done, want, &got, &res->tpm_rc);
		if (st == SK_TPM_OK) {
			res->commands++;
			done += got;
		}
	}
	if (requested) {
		rel = locality_release(io);
		if (st == SK_TPM_OK)
			st = rel;
	}
	if (st != SK_TPM_OK)
		for (done = 0; done < len; done++)
			((volatile uint8_t *)p)[done] = 0;
	res->status = st;
	return st;
}
