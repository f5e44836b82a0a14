// SPDX-License-Identifier: MIT
/*
 * Register values at call sites (sweep.h). Two passes over each run of
 * code with Capstone (undecodable bytes are skipped one at a time):
 *   1. direct branch targets: calls give function entries, backward jumps
 *      give loop heads; the caller sees every call and jump (PE: stubs);
 *   2. the state of the 16 general purpose registers, instruction by
 *      instruction, with a join at forward branch targets, reported at
 *      every watched call.
 * Modelled exactly: mov/movabs of an immediate, a register or a
 * rip-relative load (what the caller's load() says it holds), or/and/xor
 * with those, xor/sub of a register with itself, bts/btr/btc with an
 * immediate, in 32- and 64-bit forms (a 32-bit write clears bits 63:32,
 * SDM1 §3.4.1.1 "General-Purpose Registers in 64-Bit Mode"). Any other
 * write to a register, as Capstone's cs_regs_access() reports it, makes
 * the whole register unknown. A call clobbers the ABI's caller-saved
 * registers (System V psABI §3.2.1; Microsoft "x64 calling convention",
 * "Caller/callee saved registers").
 */
#include <capstone/capstone.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"

struct regs {
	struct drv_bits r[DRV_NREGS];
};

/* A growing, then sorted, set of addresses. */
struct addr_set {
	uint64_t *v;
	size_t n, cap;
};

/* States waiting at forward branch targets, sorted by target. */
struct pending {
	uint64_t target;
	struct regs st;
};

struct pend_list {
	struct pending *v;
	size_t head, n, cap;  /* live entries: v[head, n) */
};

struct sweep {
	csh cs;
	const struct drv_sweep_ops *ops;
	struct addr_set calls;   /* direct call targets: function entries */
	struct addr_set back;    /* targets of backward branches: loop heads */
	struct pend_list pend;
	int found;
	int oom;
};

/* ---- small containers --------------------------------------------- */

static void set_add(struct sweep *s, struct addr_set *set, uint64_t a)
{
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 256;
		uint64_t *v = realloc(set->v, cap * sizeof(*v));

		if (!v) {
			s->oom = 1;
			return;
		}
		set->v = v;
		set->cap = cap;
	}
	set->v[set->n++] = a;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void set_finish(struct addr_set *set)
{
	size_t i, out = 0;

	if (!set->n)
		return;
	qsort(set->v, set->n, sizeof(set->v[0]), cmp_u64);
	for (i = 1; i < set->n; i++)
		if (set->v[i] != set->v[out])
			set->v[++out] = set->v[i];
	set->n = out + 1;
}

static int sorted_has(const uint64_t *v, size_t n, uint64_t a)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] == a)
			return 1;
		if (v[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* ---- known bits ----------------------------------------------------- */

static struct drv_bits bits_or(struct drv_bits a, struct drv_bits b)
{
	uint64_t one = (a.known & a.value) | (b.known & b.value);
	uint64_t zero = (a.known & ~a.value) & (b.known & ~b.value);
	struct drv_bits r = { one | zero, one };

	return r;
}

static struct drv_bits bits_and(struct drv_bits a, struct drv_bits b)
{
	uint64_t one = (a.known & a.value) & (b.known & b.value);
	uint64_t zero = (a.known & ~a.value) | (b.known & ~b.value);
	struct drv_bits r = { one | zero, one };

	return r;
}

static struct drv_bits bits_xor(struct drv_bits a, struct drv_bits b)
{
	struct drv_bits r;

	r.known = a.known & b.known;
	r.value = (a.value ^ b.value) & r.known;
	return r;
}

/* The bits every path agrees on. */
static struct drv_bits bits_join(struct drv_bits a, struct drv_bits b)
{
	struct drv_bits r;

	r.known = a.known & b.known & ~(a.value ^ b.value);
	r.value = a.value & r.known;
	return r;
}

/* A 32-bit result written to a 64-bit register: bits 63:32 become 0. */
static struct drv_bits bits_zext32(struct drv_bits a)
{
	struct drv_bits r;

	r.known = (a.known & 0xffffffffull) | 0xffffffff00000000ull;
	r.value = a.value & 0xffffffffull;
	return r;
}

static void regs_unknown(struct regs *st)
{
	memset(st, 0, sizeof(*st));
}

static void regs_join(struct regs *into, const struct regs *other)
{
	int i;

	for (i = 0; i < DRV_NREGS; i++)
		into->r[i] = bits_join(into->r[i], other->r[i]);
}

/* ---- pending states at forward targets ------------------------------ */

static void pend_put(struct sweep *s, uint64_t target, const struct regs *st)
{
	struct pend_list *p = &s->pend;
	size_t lo = p->head, hi = p->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->v[mid].target == target) {
			regs_join(&p->v[mid].st, st);
			return;
		}
		if (p->v[mid].target < target)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (p->n == p->cap && p->head) {
		/* Compact the consumed front first. */
		memmove(p->v, p->v + p->head, (p->n - p->head) * sizeof(p->v[0]));
		lo -= p->head;
		p->n -= p->head;
		p->head = 0;
	}
	if (p->n == p->cap) {
		size_t cap = p->cap * 2 + 16;
		struct pending *v = realloc(p->v, cap * sizeof(*v));

		if (!v) {
			s->oom = 1;
			return;
		}
		p->v = v;
		p->cap = cap;
	}
	memmove(p->v + lo + 1, p->v + lo, (p->n - lo) * sizeof(p->v[0]));
	p->v[lo].target = target;
	p->v[lo].st = *st;
	p->n++;
}

/*
 * Merge the states waiting for address a into st (have: st holds a state
 * already; otherwise the first waiting state becomes it). States for
 * addresses below a were for the middle of an instruction: dropped.
 * Returns whether st holds a state.
 */
static int pend_take(struct sweep *s, uint64_t a, struct regs *st, int have)
{
	struct pend_list *p = &s->pend;

	while (p->head < p->n && p->v[p->head].target < a)
		p->head++;
	while (p->head < p->n && p->v[p->head].target == a) {
		if (have)
			regs_join(st, &p->v[p->head].st);
		else
			*st = p->v[p->head].st;
		have = 1;
		p->head++;
	}
	return have;
}

/* ---- instructions --------------------------------------------------- */

/* Capstone register -> register file index and width in bytes, or -1. */
static int reg_index(x86_reg r, int *size)
{
	static const x86_reg names[DRV_NREGS][5] = {
		{ X86_REG_RAX, X86_REG_EAX, X86_REG_AX, X86_REG_AL, X86_REG_AH },
		{ X86_REG_RCX, X86_REG_ECX, X86_REG_CX, X86_REG_CL, X86_REG_CH },
		{ X86_REG_RDX, X86_REG_EDX, X86_REG_DX, X86_REG_DL, X86_REG_DH },
		{ X86_REG_RBX, X86_REG_EBX, X86_REG_BX, X86_REG_BL, X86_REG_BH },
		{ X86_REG_RSP, X86_REG_ESP, X86_REG_SP, X86_REG_SPL, X86_REG_INVALID },
		{ X86_REG_RBP, X86_REG_EBP, X86_REG_BP, X86_REG_BPL, X86_REG_INVALID },
		{ X86_REG_RSI, X86_REG_ESI, X86_REG_SI, X86_REG_SIL, X86_REG_INVALID },
		{ X86_REG_RDI, X86_REG_EDI, X86_REG_DI, X86_REG_DIL, X86_REG_INVALID },
		{ X86_REG_R8, X86_REG_R8D, X86_REG_R8W, X86_REG_R8B, X86_REG_INVALID },
		{ X86_REG_R9, X86_REG_R9D, X86_REG_R9W, X86_REG_R9B, X86_REG_INVALID },
		{ X86_REG_R10, X86_REG_R10D, X86_REG_R10W, X86_REG_R10B, X86_REG_INVALID },
		{ X86_REG_R11, X86_REG_R11D, X86_REG_R11W, X86_REG_R11B, X86_REG_INVALID },
		{ X86_REG_R12, X86_REG_R12D, X86_REG_R12W, X86_REG_R12B, X86_REG_INVALID },
		{ X86_REG_R13, X86_REG_R13D, X86_REG_R13W, X86_REG_R13B, X86_REG_INVALID },
		{ X86_REG_R14, X86_REG_R14D, X86_REG_R14W, X86_REG_R14B, X86_REG_INVALID },
		{ X86_REG_R15, X86_REG_R15D, X86_REG_R15W, X86_REG_R15B, X86_REG_INVALID },
	};
	static const int widths[5] = { 8, 4, 2, 1, 1 };
	int i, k;

	if (r == X86_REG_INVALID)
		return -1;
	for (i = 0; i < DRV_NREGS; i++)
		for (k = 0; k < 5; k++)
			if (names[i][k] == r) {
				*size = widths[k];
				return i;
			}
	return -1;
}

static int is_rip_relative(const cs_x86_op *op)
{
	return op->type == X86_OP_MEM && op->mem.base == X86_REG_RIP &&
	       op->mem.index == X86_REG_INVALID;
}

/* An immediate as the operation sees it: sign-extended to 64 bits. */
static uint64_t imm_value(const cs_insn *insn, const cs_x86_op *op)
{
	uint8_t n = insn->detail->x86.encoding.imm_size;
	uint64_t v = (uint64_t)op->imm;

	if (n == 1)
		return (uint64_t)(int64_t)(int8_t)v;
	if (n == 2)
		return (uint64_t)(int64_t)(int16_t)v;
	if (n == 4)
		return (uint64_t)(int64_t)(int32_t)v;
	return v;
}

/* The source operand of a 32/64-bit operation, as known bits. */
static struct drv_bits source(struct sweep *s, const struct regs *st,
			      const cs_insn *insn, const cs_x86_op *op)
{
	const struct drv_sweep_ops *ops = s->ops;
	int idx, size;

	switch (op->type) {
	case X86_OP_IMM:
		return drv_bits_const(imm_value(insn, op));
	case X86_OP_REG:
		idx = reg_index(op->reg, &size);
		if (idx < 0 || size < 4)
			return drv_bits_unknown();
		return size == 8 ? st->r[idx] : bits_zext32(st->r[idx]);
	case X86_OP_MEM:
		if (is_rip_relative(op) && ops->load &&
		    insn->detail->x86.encoding.disp_offset)
			return ops->load(ops->ctx, insn->address,
					 insn->detail->x86.encoding.disp_offset,
					 op->size);
		return drv_bits_unknown();
	default:
		return drv_bits_unknown();
	}
}

/* Every register the instruction writes becomes unknown. */
static void clobber_written(struct sweep *s, struct regs *st,
			    const cs_insn *insn)
{
	cs_regs rd, wr;
	uint8_t nrd, nwr, i;
	int idx, size;

	if (cs_regs_access(s->cs, insn, rd, &nrd, wr, &nwr) != CS_ERR_OK) {
		regs_unknown(st); /* cannot tell: assume the worst */
		return;
	}
	for (i = 0; i < nwr; i++) {
		idx = reg_index(wr[i], &size);
		if (idx >= 0)
			st->r[idx] = drv_bits_unknown();
	}
}

/* bts/btr/btc reg, imm: SDM2 "BTS", "BTR", "BTC" (bit offset mod width). */
static int bit_op(unsigned int id, struct drv_bits v, uint64_t imm, int width,
		  struct drv_bits *out)
{
	uint64_t bit = 1ull << (imm & (uint64_t)(width * 8 - 1));

	*out = v;
	if (id == X86_INS_BTS) {
		out->known |= bit;
		out->value |= bit;
	} else if (id == X86_INS_BTR) {
		out->known |= bit;
		out->value &= ~bit;
	} else if (id == X86_INS_BTC) {
		out->value ^= bit & v.known;
	} else {
		return -1;
	}
	return 0;
}

/* The effect of one non-branch instruction on the register file. */
static void apply(struct sweep *s, struct regs *st, const cs_insn *insn)
{
	const cs_x86 *x = &insn->detail->x86;
	const cs_x86_op *dst = &x->operands[0], *src = &x->operands[1];
	struct drv_bits cur, in, out;
	int d, width;

	if (x->op_count != 2 || dst->type != X86_OP_REG)
		goto generic;
	d = reg_index(dst->reg, &width);
	if (d < 0 || (width != 4 && width != 8))
		goto generic;
	cur = st->r[d];
	in = source(s, st, insn, src);
	switch (insn->id) {
	case X86_INS_MOV:
	case X86_INS_MOVABS:
		out = in;
		break;
	case X86_INS_OR:
		out = bits_or(cur, in);
		break;
	case X86_INS_AND:
		out = bits_and(cur, in);
		break;
	case X86_INS_XOR:
	case X86_INS_SUB:
		if (src->type == X86_OP_REG && src->reg == dst->reg)
			out = drv_bits_const(0);
		else if (insn->id == X86_INS_XOR)
			out = bits_xor(cur, in);
		else
			goto generic;
		break;
	case X86_INS_BTS:
	case X86_INS_BTR:
	case X86_INS_BTC:
		if (src->type != X86_OP_IMM ||
		    bit_op(insn->id, cur, (uint64_t)src->imm, width, &out))
			goto generic;
		break;
	default:
		goto generic;
	}
	st->r[d] = width == 4 ? bits_zext32(out) : out;
	return;
generic:
	clobber_written(s, st, insn);
}

static void call_clobbers(enum drv_abi abi, struct regs *st)
{
	static const enum drv_reg sysv[] = { DRV_RAX, DRV_RCX, DRV_RDX, DRV_RSI,
		DRV_RDI, DRV_R8, DRV_R9, DRV_R10, DRV_R11, DRV_RSP };
	static const enum drv_reg ms[] = { DRV_RAX, DRV_RCX, DRV_RDX, DRV_R8,
		DRV_R9, DRV_R10, DRV_R11, DRV_RSP };
	const enum drv_reg *list = abi == DRV_ABI_MS ? ms : sysv;
	size_t i, n = abi == DRV_ABI_MS ? sizeof(ms) / sizeof(ms[0]) :
					  sizeof(sysv) / sizeof(sysv[0]);

	for (i = 0; i < n; i++)
		st->r[list[i]] = drv_bits_unknown();
}

enum flow { FLOW_NONE, FLOW_CALL, FLOW_JMP, FLOW_JCC, FLOW_RET };

static enum flow flow_of(csh cs, const cs_insn *insn)
{
	if (cs_insn_group(cs, insn, CS_GRP_CALL))
		return FLOW_CALL;
	if (cs_insn_group(cs, insn, CS_GRP_RET) ||
	    cs_insn_group(cs, insn, CS_GRP_IRET))
		return FLOW_RET;
	if (insn->id == X86_INS_JMP || insn->id == X86_INS_LJMP)
		return FLOW_JMP;
	if (cs_insn_group(cs, insn, CS_GRP_JUMP))
		return FLOW_JCC;
	return FLOW_NONE;
}

/*
 * A direct branch: call/jmp/jcc to an immediate or through [rip+disp].
 * A zero displacement (the next instruction; in an ELF object the field a
 * relocation fills in) names no target inside the code.
 */
static int branch_of(const cs_insn *insn, enum flow f, struct drv_branch *b)
{
	const cs_x86 *x = &insn->detail->x86;
	const cs_x86_op *op = &x->operands[0];
	uint64_t next = insn->address + insn->size;

	if (x->op_count != 1 || (f != FLOW_CALL && f != FLOW_JMP && f != FLOW_JCC))
		return 0;
	memset(b, 0, sizeof(*b));
	b->addr = insn->address;
	b->size = insn->size;
	b->is_call = f == FLOW_CALL;
	if (op->type == X86_OP_IMM) {
		b->target = (uint64_t)op->imm;
		b->field_off = insn->size >= 5 ? (uint8_t)(insn->size - 4) : 0;
		return 1;
	}
	if (is_rip_relative(op)) {
		b->via_mem = 1;
		b->target = next + (uint64_t)op->mem.disp;
		b->field_off = x->encoding.disp_offset;
		return 1;
	}
	return 0;
}

/* ---- the two passes ------------------------------------------------- */

static void pass1(struct sweep *s, const struct drv_code *c, cs_insn *insn)
{
	const uint8_t *p = c->bytes;
	size_t left = c->len;
	uint64_t addr = c->addr;
	struct drv_branch b;
	enum flow f;

	while (left && !s->oom) {
		if (!cs_disasm_iter(s->cs, &p, &left, &addr, insn)) {
			p++, left--, addr++;
			continue;
		}
		f = flow_of(s->cs, insn);
		if (!branch_of(insn, f, &b))
			continue;
		if (f != FLOW_JCC && s->ops->branch_seen)
			s->ops->branch_seen(s->ops->ctx, &b);
		if (b.via_mem || b.target == insn->address + insn->size)
			continue;
		if (f == FLOW_CALL)
			set_add(s, &s->calls, b.target);
		else if (b.target <= insn->address)
			set_add(s, &s->back, b.target);
	}
}

static int is_entry(const struct sweep *s, uint64_t a)
{
	return sorted_has(s->ops->starts, s->ops->nstarts, a) ||
	       sorted_has(s->calls.v, s->calls.n, a) ||
	       sorted_has(s->back.v, s->back.n, a);
}

/* Report a watched call; returns nothing, counts in s->found. */
static void maybe_site(struct sweep *s, const cs_insn *insn, enum flow f,
		       const struct regs *st)
{
	struct drv_branch b;
	int callee;

	if ((f != FLOW_CALL && f != FLOW_JMP) || !branch_of(insn, f, &b))
		return;
	callee = s->ops->callee(s->ops->ctx, &b);
	if (callee < 0)
		return;
	s->found++;
	s->ops->site(s->ops->ctx, insn->address, callee, st->r);
}

/*
 * The state at address a: nothing known at a function entry or loop head;
 * else the join of the state falling in (none after a return) and those
 * waiting at a.
 */
static void state_at(struct sweep *s, int first, int after_ret, uint64_t a,
		     struct regs *st)
{
	struct regs scratch;

	if (first || is_entry(s, a)) {
		pend_take(s, a, &scratch, 0);
		regs_unknown(st);
	} else if (!pend_take(s, a, st, !after_ret)) {
		regs_unknown(st);
	}
}

static void pass2(struct sweep *s, const struct drv_code *c, cs_insn *insn)
{
	const uint8_t *p = c->bytes;
	size_t left = c->len;
	uint64_t addr = c->addr, next;
	struct regs st;
	struct drv_branch b;
	int after_ret = 0;
	enum flow f;

	regs_unknown(&st);
	s->pend.head = s->pend.n = 0;
	while (left && !s->oom) {
		if (!cs_disasm_iter(s->cs, &p, &left, &addr, insn)) {
			p++, left--, addr++;
			regs_unknown(&st);
			continue;
		}
		state_at(s, insn->address == c->addr, after_ret, insn->address,
			 &st);
		after_ret = 0;
		f = flow_of(s->cs, insn);
		maybe_site(s, insn, f, &st);
		next = insn->address + insn->size;
		switch (f) {
		case FLOW_CALL:
			call_clobbers(s->ops->abi, &st);
			break;
		case FLOW_JCC:
			clobber_written(s, &st, insn); /* loop, jrcxz: rcx */
			/* fall through */
		case FLOW_JMP:
			if (branch_of(insn, f, &b) && !b.via_mem &&
			    b.target > insn->address && b.target != next)
				pend_put(s, b.target, &st);
			break;
		case FLOW_RET:
			after_ret = 1;
			break;
		case FLOW_NONE:
			apply(s, &st, insn);
			break;
		}
	}
}

int drv_sweep(const struct drv_code *code, size_t ncode,
	      const struct drv_sweep_ops *ops)
{
	struct sweep s;
	cs_insn *insn;
	size_t i;

	memset(&s, 0, sizeof(s));
	s.ops = ops;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &s.cs) != CS_ERR_OK)
		return -1;
	cs_option(s.cs, CS_OPT_DETAIL, CS_OPT_ON);
	insn = cs_malloc(s.cs);
	if (!insn)
		s.oom = 1;
	for (i = 0; i < ncode && !s.oom; i++)
		pass1(&s, &code[i], insn);
	set_finish(&s.calls);
	set_finish(&s.back);
	for (i = 0; i < ncode && !s.oom; i++)
		pass2(&s, &code[i], insn);
	if (insn)
		cs_free(insn, 1);
	cs_close(&s.cs);
	free(s.calls.v);
	free(s.back.v);
	free(s.pend.v);
	return s.oom ? -1 : s.found;
}
