// SPDX-License-Identifier: MIT
/*
 * Service dispatcher (sk/services/dispatch.h). The request block is
 * read by explicit offset (include/vbs/sk_abi.h), field by field, before
 * anything is acted on: magic, version, size, every reserved field zero,
 * output fields zero, buffer lengths bounded, a zero length with a zero
 * address, no address range that wraps, input and output not
 * overlapping; then the service and operation from const tables, whose
 * descriptors also say which arguments and buffers an operation takes
 * (the others must be zero). Only then are buffers mapped.
 */
#include "services/dispatch.h"

#include <string.h>

#include "core/entropy_pool.h"

struct sk_buf {
	uint64_t gpa;
	uint32_t len;
};

struct sk_req {
	uint32_t service;
	uint32_t op;
	uint64_t arg0;
	uint64_t arg1;
	struct sk_buf in;
	struct sk_buf out;
};

struct sk_call {
	const struct sk_dispatch_ctx *ctx;
	const struct sk_req *req;
	const uint8_t *in;
	uint8_t *out;
	uint32_t out_len;
};

#define USES_ARG0 (1u << 0)
#define USES_ARG1 (1u << 1)
#define USES_IN (1u << 2)    /* the input buffer may be non-empty */
#define NEEDS_OUT (1u << 3)  /* the output buffer must be non-empty */

struct sk_op {
	uint32_t op;
	uint32_t uses;
	int (*run)(struct sk_call *c);
};

struct sk_service {
	uint32_t id;
	const char *name;
	const struct sk_op *ops;
	uint32_t nops;
};

static uint32_t rd16(const uint8_t *p, size_t off)
{
	return (uint32_t)p[off] | (uint32_t)p[off + 1] << 8;
}

static uint32_t rd32(const uint8_t *p, size_t off)
{
	return rd16(p, off) | rd16(p, off + 2) << 16;
}

static uint64_t rd64(const uint8_t *p, size_t off)
{
	return (uint64_t)rd32(p, off) | (uint64_t)rd32(p, off + 4) << 32;
}

static void wr32(uint8_t *p, size_t off, uint32_t v)
{
	p[off] = (uint8_t)v;
	p[off + 1] = (uint8_t)(v >> 8);
	p[off + 2] = (uint8_t)(v >> 16);
	p[off + 3] = (uint8_t)(v >> 24);
}

static void wr64(uint8_t *p, size_t off, uint64_t v)
{
	wr32(p, off, (uint32_t)v);
	wr32(p, off + 4, (uint32_t)(v >> 32));
}

/* ---- status ---- */

static int op_status_get(struct sk_call *c)
{
	const struct sk_dispatch_ctx *x = c->ctx;
	uint8_t *o = c->out;

	if (c->req->out.len < sizeof(struct vbs_sk_status_info))
		return VBS_SK_E_SMALL;
	memset(o, 0, sizeof(struct vbs_sk_status_info));
	wr32(o, 0x00, VBS_SK_ABI_VERSION);
	wr32(o, 0x04, x->sk_version);
	wr32(o, 0x08, x->props_available);
	wr32(o, 0x0c, x->props_required);
	wr32(o, 0x10, x->props_running);
	wr32(o, 0x14, sk_vault_used(x->vault));
	wr32(o, 0x18, SK_VAULT_SLOTS);
	wr32(o, 0x1c, sk_entropy_sources());
	wr64(o, 0x20, x->log->next_seq);
	wr64(o, 0x28, x->log->dropped);
	c->out_len = sizeof(struct vbs_sk_status_info);
	return VBS_SK_OK;
}

/* ---- log ---- */

static int op_log_read(struct sk_call *c)
{
	const size_t head = sizeof(struct vbs_sk_log_head);
	const size_t esz = sizeof(struct vbs_sk_event);
	uint32_t cap = c->req->out.len, max, i;
	struct vbs_sk_event ev;
	struct sk_evlog_read r;
	uint8_t *o = c->out;

	if (cap < head)
		return VBS_SK_E_SMALL;
	max = (uint32_t)((cap - head) / esz);
	/* Read one entry at a time into ev: out need not be aligned. */
	sk_evlog_read(c->ctx->log, c->req->arg0, &ev, 0, &r);
	for (i = 0; i < max; i++) {
		struct sk_evlog_read one;

		sk_evlog_read(c->ctx->log, r.first_seq + i, &ev, 1, &one);
		if (one.count == 0)
			break;
		memcpy(o + head + i * esz, &ev, esz);
	}
	memset(o, 0, head);
	wr64(o, 0x00, r.first_seq);
	wr64(o, 0x08, r.next_seq);
	wr64(o, 0x10, r.lost);
	wr64(o, 0x18, c->ctx->log->dropped);
	wr32(o, 0x20, i);
	wr32(o, 0x24, (uint32_t)esz);
	c->out_len = (uint32_t)(head + i * esz);
	return VBS_SK_OK;
}

/* ---- vault ---- */

static void log_vault(struct sk_call *c, uint32_t id, const char *what)
{
	sk_evlog_add(c->ctx->log, VBS_SK_EV_VAULT, (int32_t)c->req->op,
		     c->ctx->caller, id, c->ctx->caller_module, what);
}

static int put_id(struct sk_call *c, uint32_t id)
{
	wr32(c->out, 0, id);
	c->out_len = 4;
	return VBS_SK_OK;
}

static int op_vault_create(struct sk_call *c)
{
	uint32_t id;
	int rc;

	if (c->req->out.len < 4 || c->req->arg0 > UINT32_MAX)
		return c->req->out.len < 4 ? VBS_SK_E_SMALL : VBS_SK_E_RANGE;
	rc = sk_vault_create(c->ctx->vault, (uint32_t)c->req->arg0, c->in,
			     c->req->in.len, &id);
	if (rc)
		return rc;
	log_vault(c, id, "vault create");
	return put_id(c, id);
}

static int op_vault_import(struct sk_call *c)
{
	uint64_t label_len = c->req->arg1;
	uint32_t id;
	int rc;

	if (c->req->out.len < 4)
		return VBS_SK_E_SMALL;
	if (c->req->arg0 > UINT32_MAX || label_len > c->req->in.len)
		return VBS_SK_E_RANGE;
	rc = sk_vault_import(c->ctx->vault, (uint32_t)c->req->arg0, c->in,
			     (size_t)label_len, c->in ? c->in + label_len : NULL,
			     c->req->in.len - (size_t)label_len, &id);
	if (rc)
		return rc;
	log_vault(c, id, "vault import");
	return put_id(c, id);
}

static int op_vault_list(struct sk_call *c)
{
	struct vbs_sk_vault_entry list[SK_VAULT_SLOTS];
	uint32_t n;

	sk_vault_list(c->ctx->vault, list, SK_VAULT_SLOTS, &n);
	if (c->req->out.len < (size_t)n * sizeof(list[0]))
		return VBS_SK_E_SMALL;
	memcpy(c->out, list, (size_t)n * sizeof(list[0]));
	c->out_len = n * (uint32_t)sizeof(list[0]);
	return VBS_SK_OK;
}

static int op_vault_delete(struct sk_call *c)
{
	int rc;

	if (c->req->arg0 > UINT32_MAX)
		return VBS_SK_E_RANGE;
	rc = sk_vault_delete(c->ctx->vault, (uint32_t)c->req->arg0);
	if (rc == VBS_SK_OK)
		log_vault(c, (uint32_t)c->req->arg0, "vault delete");
	return rc;
}

static int op_vault_pubkey(struct sk_call *c)
{
	size_t len;
	int rc;

	if (c->req->arg0 > UINT32_MAX)
		return VBS_SK_E_RANGE;
	rc = sk_vault_pubkey(c->ctx->vault, (uint32_t)c->req->arg0, c->out,
			     c->req->out.len, &len);
	if (rc == VBS_SK_OK)
		c->out_len = (uint32_t)len;
	return rc;
}

static int op_vault_sign(struct sk_call *c)
{
	size_t len;
	int rc;

	if (c->req->arg0 > UINT32_MAX)
		return VBS_SK_E_RANGE;
	rc = sk_vault_sign(c->ctx->vault, (uint32_t)c->req->arg0, c->in,
			   c->req->in.len, c->out, c->req->out.len, &len);
	if (rc == VBS_SK_OK)
		c->out_len = (uint32_t)len;
	return rc;
}

static int op_vault_mac(struct sk_call *c)
{
	int rc;

	if (c->req->arg0 > UINT32_MAX)
		return VBS_SK_E_RANGE;
	rc = sk_vault_mac(c->ctx->vault, (uint32_t)c->req->arg0, c->in,
			  c->req->in.len, c->out, c->req->out.len);
	if (rc == VBS_SK_OK)
		c->out_len = SK_VAULT_MAC_LEN;
	return rc;
}

static int op_vault_gcm(struct sk_call *c, int wrap)
{
	uint64_t aad_len = c->req->arg1;
	const uint8_t *data;
	size_t data_len, len;
	int rc;

	if (c->req->arg0 > UINT32_MAX || aad_len > c->req->in.len)
		return VBS_SK_E_RANGE;
	data = c->in ? c->in + aad_len : NULL; /* no input: c->in is NULL */
	data_len = c->req->in.len - (size_t)aad_len;
	if (wrap)
		rc = sk_vault_wrap(c->ctx->vault, (uint32_t)c->req->arg0, c->in,
				   (size_t)aad_len, data, data_len, c->out,
				   c->req->out.len, &len);
	else
		rc = sk_vault_unwrap(c->ctx->vault, (uint32_t)c->req->arg0, c->in,
				     (size_t)aad_len, data, data_len, c->out,
				     c->req->out.len, &len);
	if (rc == VBS_SK_OK)
		c->out_len = (uint32_t)len;
	return rc;
}

static int op_vault_wrap(struct sk_call *c)
{
	return op_vault_gcm(c, 1);
}

static int op_vault_unwrap(struct sk_call *c)
{
	return op_vault_gcm(c, 0);
}

/* Diagnostic: keep VTL1 busy for arg0 cycles, so tests can show that a
 * long VTL1 service leaves VTL0's interrupts running (docs/secure-kernel.md
 * "Running in VTL1"). Bounded; refused where no cycle counter exists. */
static int op_status_spin(struct sk_call *c)
{
	uint64_t (*cycles)(void) = c->ctx->cycles;
	uint64_t start, n = c->req->arg0;

	if (!cycles)
		return VBS_SK_E_OP;
	if (n == 0 || n > VBS_SK_SPIN_MAX)
		return VBS_SK_E_RANGE;
	start = cycles();
	while (cycles() - start < n)
		__asm__ volatile("pause" : : : "memory");
	return VBS_SK_OK;
}

/* ---- protect ---- */

static int op_protect_set(struct sk_call *c)
{
	const struct sk_dispatch_ctx *x = c->ctx;
	const struct vbs_sk_protect_range *r;
	struct vbs_sk_protect_range parsed;
	uint32_t idx;
	int rc;

	if (!x->protect || !x->set_mask)
		return VBS_SK_E_OP;
	rc = sk_protect_parse(c->in, c->req->in.len, &parsed);
	if (!rc && x->vtl0_range &&
	    !x->vtl0_range(x->map_ctx, parsed.gpa, parsed.pages * 4096))
		rc = VBS_SK_E_RANGE;
	if (!rc)
		rc = sk_protect_add(x->protect, &parsed, &idx);
	if (rc)
		return rc;
	r = &x->protect->range[idx];
	if (x->set_mask(r->gpa, r->pages, r->mask)) {
		sk_protect_mark_partial(x->protect, idx);
		return VBS_SK_E_HV;
	}
	sk_evlog_add(x->log, VBS_SK_EV_INFO, (int32_t)r->mask, x->caller,
		     r->gpa, x->caller_module, r->label);
	return VBS_SK_OK;
}

static int op_protect_list(struct sk_call *c)
{
	struct vbs_sk_protect_range list[VBS_SK_PROTECT_RANGES];
	uint32_t n;

	if (!c->ctx->protect)
		return VBS_SK_E_OP;
	n = sk_protect_list(c->ctx->protect, list, VBS_SK_PROTECT_RANGES);
	if (c->req->out.len < (size_t)n * sizeof(list[0]))
		return VBS_SK_E_SMALL;
	memcpy(c->out, list, (size_t)n * sizeof(list[0]));
	c->out_len = n * (uint32_t)sizeof(list[0]);
	return VBS_SK_OK;
}

/* ---- module ---- */

static int op_module_note(struct sk_call *c)
{
	if (!c->ctx->modules)
		return VBS_SK_E_OP;
	return sk_modules_note(c->ctx->modules, c->req->arg0, c->req->arg1,
			       c->in, c->req->in.len);
}

static int op_module_gone(struct sk_call *c)
{
	if (!c->ctx->modules)
		return VBS_SK_E_OP;
	return sk_modules_gone(c->ctx->modules, c->req->arg0);
}

static const struct sk_op status_ops[] = {
	{ VBS_SK_STATUS_GET, NEEDS_OUT, op_status_get },
	{ VBS_SK_STATUS_SPIN, USES_ARG0, op_status_spin },
};

static const struct sk_op log_ops[] = {
	{ VBS_SK_LOG_READ, USES_ARG0 | NEEDS_OUT, op_log_read },
};

static const struct sk_op vault_ops[] = {
	{ VBS_SK_VAULT_CREATE, USES_ARG0 | USES_IN | NEEDS_OUT, op_vault_create },
	{ VBS_SK_VAULT_IMPORT, USES_ARG0 | USES_ARG1 | USES_IN | NEEDS_OUT,
	  op_vault_import },
	{ VBS_SK_VAULT_LIST, NEEDS_OUT, op_vault_list },
	{ VBS_SK_VAULT_DELETE, USES_ARG0, op_vault_delete },
	{ VBS_SK_VAULT_PUBKEY, USES_ARG0 | NEEDS_OUT, op_vault_pubkey },
	{ VBS_SK_VAULT_SIGN, USES_ARG0 | USES_IN | NEEDS_OUT, op_vault_sign },
	{ VBS_SK_VAULT_MAC, USES_ARG0 | USES_IN | NEEDS_OUT, op_vault_mac },
	{ VBS_SK_VAULT_WRAP, USES_ARG0 | USES_ARG1 | USES_IN | NEEDS_OUT,
	  op_vault_wrap },
	{ VBS_SK_VAULT_UNWRAP, USES_ARG0 | USES_ARG1 | USES_IN | NEEDS_OUT,
	  op_vault_unwrap },
};

static const struct sk_op protect_ops[] = {
	{ VBS_SK_PROTECT_SET, USES_IN, op_protect_set },
	{ VBS_SK_PROTECT_LIST, NEEDS_OUT, op_protect_list },
};

static const struct sk_op module_ops[] = {
	{ VBS_SK_MODULE_NOTE, USES_ARG0 | USES_ARG1 | USES_IN, op_module_note },
	{ VBS_SK_MODULE_GONE, USES_ARG0, op_module_gone },
};

#define NOPS(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

static const struct sk_service services[] = {
	{ VBS_SK_SVC_STATUS, "status", status_ops, NOPS(status_ops) },
	{ VBS_SK_SVC_LOG, "log", log_ops, NOPS(log_ops) },
	{ VBS_SK_SVC_VAULT, "vault", vault_ops, NOPS(vault_ops) },
	{ VBS_SK_SVC_PROTECT, "protect", protect_ops, NOPS(protect_ops) },
	{ VBS_SK_SVC_MODULE, "module", module_ops, NOPS(module_ops) },
};

static const struct sk_op *find_op(uint32_t service, uint32_t op, int *status)
{
	uint32_t i, j;

	for (i = 0; i < NOPS(services); i++) {
		if (services[i].id != service)
			continue;
		for (j = 0; j < services[i].nops; j++)
			if (services[i].ops[j].op == op)
				return &services[i].ops[j];
		*status = VBS_SK_E_OP;
		return NULL;
	}
	*status = VBS_SK_E_SERVICE;
	return NULL;
}

/* A buffer descriptor at off: bounded length, zero length only with a
 * zero address, no wrap past 2^64, reserved word zero. */
static const char *parse_buf(const uint8_t *req, size_t off, struct sk_buf *b,
			     int *status)
{
	b->gpa = rd64(req, off);
	b->len = rd32(req, off + 8);
	*status = VBS_SK_E_MALFORMED;
	if (rd32(req, off + 12) != 0)
		return "buffer reserved word";
	*status = VBS_SK_E_RANGE;
	if (b->len > VBS_SK_BUF_MAX)
		return "buffer too long";
	if (b->len == 0 && b->gpa != 0)
		return "address without length";
	if (b->len != 0 && b->gpa > UINT64_MAX - (b->len - 1))
		return "buffer wraps";
	*status = VBS_SK_OK;
	return NULL;
}

static int overlap(const struct sk_buf *a, const struct sk_buf *b)
{
	if (!a->len || !b->len)
		return 0;
	return a->gpa <= b->gpa + (b->len - 1) && b->gpa <= a->gpa + (a->len - 1);
}

/* The fixed header fields; NULL when all are right. */
static const char *parse_head(const uint8_t *req, struct sk_req *r, int *status)
{
	*status = VBS_SK_E_MALFORMED;
	if (rd32(req, 0x00) != VBS_SK_REQ_MAGIC)
		return "bad magic";
	if (rd16(req, 0x04) != VBS_SK_ABI_VERSION)
		return "bad version";
	if (rd16(req, 0x06) != VBS_SK_REQ_SIZE)
		return "bad size";
	if (rd32(req, 0x10) != 0)
		return "flags not zero";
	if (rd32(req, 0x14) != 0)
		return "status not zero";
	if (rd32(req, 0x48) != 0)
		return "out_len not zero";
	if (rd32(req, 0x4c) || rd64(req, 0x50) || rd64(req, 0x58))
		return "reserved not zero";
	r->service = rd32(req, 0x08);
	r->op = rd32(req, 0x0c);
	r->arg0 = rd64(req, 0x18);
	r->arg1 = rd64(req, 0x20);
	*status = VBS_SK_OK;
	return NULL;
}

static const char *check_uses(const struct sk_req *r, uint32_t uses, int *status)
{
	*status = VBS_SK_E_MALFORMED;
	if (!(uses & USES_ARG0) && r->arg0)
		return "arg0 not zero";
	if (!(uses & USES_ARG1) && r->arg1)
		return "arg1 not zero";
	if (!(uses & USES_IN) && r->in.len)
		return "input not expected";
	if ((uses & NEEDS_OUT) && !r->out.len)
		return "output missing";
	if (!(uses & NEEDS_OUT) && r->out.len)
		return "output not expected";
	*status = VBS_SK_OK;
	return NULL;
}

/* Validates everything; NULL and *op set when the request may run. */
static const char *validate(const uint8_t *req, struct sk_req *r,
			    const struct sk_op **op, int *status)
{
	const char *why = parse_head(req, r, status);

	if (!why)
		why = parse_buf(req, 0x28, &r->in, status);
	if (!why)
		why = parse_buf(req, 0x38, &r->out, status);
	if (!why && overlap(&r->in, &r->out)) {
		*status = VBS_SK_E_RANGE;
		why = "input and output overlap";
	}
	if (why)
		return why;
	*op = find_op(r->service, r->op, status);
	if (!*op)
		return *status == VBS_SK_E_SERVICE ? "unknown service" : "unknown op";
	return check_uses(r, (*op)->uses, status);
}

static int map_bufs(struct sk_call *c)
{
	const struct sk_dispatch_ctx *x = c->ctx;
	const struct sk_req *r = c->req;

	c->in = NULL;
	c->out = NULL;
	if (r->in.len) {
		c->in = x->map(x->map_ctx, r->in.gpa, r->in.len, 0);
		if (!c->in)
			return VBS_SK_E_FAULT;
	}
	if (r->out.len) {
		c->out = x->map(x->map_ctx, r->out.gpa, r->out.len, 1);
		if (!c->out)
			return VBS_SK_E_FAULT;
	}
	return VBS_SK_OK;
}

static void refuse(const struct sk_dispatch_ctx *ctx, const struct sk_req *r,
		   int status, const char *why)
{
	uint64_t what = (uint64_t)r->service << 32 | r->op;

	sk_evlog_add(ctx->log, VBS_SK_EV_REFUSED, status, ctx->caller, what,
		     ctx->caller_module, why);
}

int sk_dispatch(const struct sk_dispatch_ctx *ctx, uint8_t *req, size_t req_len)
{
	struct sk_req r = { 0 };
	struct sk_call c = { .ctx = ctx, .req = &r };
	const struct sk_op *op = NULL;
	const char *why;
	int status;

	if (!req || req_len < VBS_SK_REQ_SIZE) {
		refuse(ctx, &r, VBS_SK_E_MALFORMED, "short request");
		return VBS_SK_E_MALFORMED;
	}
	why = validate(req, &r, &op, &status);
	if (!why) {
		status = map_bufs(&c);
		why = status ? "buffer not mappable" : NULL;
	}
	if (!why) {
		status = op->run(&c);
		why = status ? "operation failed" : NULL;
	}
	if (why) {
		refuse(ctx, &r, status, why);
		c.out_len = 0;
	}
	wr32(req, 0x14, (uint32_t)status);
	wr32(req, 0x48, c.out_len);
	return status;
}
