// SPDX-License-Identifier: MIT
/*
 * PE pool-type call sites (callsite.h). Linear sweep of each executable
 * section with Capstone; undecodable bytes are skipped one at a time. The
 * tracked value of ecx is forgotten at every call, jump, return and any
 * other instruction that writes rcx; an incoming branch between the
 * assignment and the call is not seen (a linear sweep limitation).
 */
#include <capstone/capstone.h>
#include <string.h>

#include "callsite.h"

#define MAX_STUBS 64

struct scan {
	csh cs;
	const uint32_t *targets; /* IAT slots */
	size_t ntargets;
	uint32_t stubs[MAX_STUBS]; /* RVAs of jmp [slot] stubs */
	size_t nstubs;
};

static int in_list(const uint32_t *list, size_t n, uint64_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == v)
			return 1;
	return 0;
}

/* The absolute target of call/jmp [rip+disp] or call/jmp imm, else ~0. */
static uint64_t branch_target(const cs_insn *insn)
{
	const cs_x86 *x = &insn->detail->x86;

	if (x->op_count != 1)
		return ~0ull;
	if (x->operands[0].type == X86_OP_IMM)
		return (uint64_t)x->operands[0].imm;
	if (x->operands[0].type == X86_OP_MEM &&
	    x->operands[0].mem.base == X86_REG_RIP &&
	    x->operands[0].mem.index == X86_REG_INVALID)
		return insn->address + insn->size +
		       (uint64_t)x->operands[0].mem.disp;
	return ~0ull;
}

static int is_rcx(x86_reg r)
{
	return r == X86_REG_RCX || r == X86_REG_ECX || r == X86_REG_CX ||
	       r == X86_REG_CL || r == X86_REG_CH;
}

static int writes_rcx(csh cs, const cs_insn *insn)
{
	cs_regs rd, wr;
	uint8_t nrd, nwr, i;

	if (cs_regs_access(cs, insn, rd, &nrd, wr, &nwr) != CS_ERR_OK)
		return 1; /* unknown: assume the worst */
	for (i = 0; i < nwr; i++)
		if (is_rcx(wr[i]))
			return 1;
	return 0;
}

/* mov ecx/rcx, imm or xor ecx, ecx: the value, else -1 (unknown). */
static int rcx_constant(const cs_insn *insn, uint64_t *v)
{
	const cs_x86 *x = &insn->detail->x86;

	if (x->op_count != 2 || x->operands[0].type != X86_OP_REG ||
	    (x->operands[0].reg != X86_REG_ECX &&
	     x->operands[0].reg != X86_REG_RCX))
		return -1;
	if (insn->id == X86_INS_MOV && x->operands[1].type == X86_OP_IMM) {
		*v = (uint32_t)x->operands[1].imm;
		return 0;
	}
	if (insn->id == X86_INS_XOR && x->operands[1].type == X86_OP_REG &&
	    x->operands[1].reg == x->operands[0].reg) {
		*v = 0;
		return 0;
	}
	return -1;
}

static int is_flow(csh cs, const cs_insn *insn)
{
	return cs_insn_group(cs, insn, CS_GRP_JUMP) ||
	       cs_insn_group(cs, insn, CS_GRP_RET) ||
	       cs_insn_group(cs, insn, CS_GRP_IRET) ||
	       cs_insn_group(cs, insn, CS_GRP_INT);
}

/* Pass 1: stubs "jmp [rip+disp]" whose target is one of the slots. */
static void find_stubs(struct scan *s, const struct drv_code *c)
{
	const uint8_t *p = c->bytes;
	size_t left = c->len;
	uint64_t addr = c->rva;
	cs_insn *insn = cs_malloc(s->cs);

	while (insn && left) {
		if (!cs_disasm_iter(s->cs, &p, &left, &addr, insn)) {
			p++, left--, addr++;
			continue;
		}
		if (insn->id == X86_INS_JMP && s->nstubs < MAX_STUBS &&
		    in_list(s->targets, s->ntargets, branch_target(insn)))
			s->stubs[s->nstubs++] = (uint32_t)insn->address;
	}
	cs_free(insn, 1);
}

/* A call, or a tail call (jmp) that is not itself one of the stubs. */
static int is_call_site(const struct scan *s, const cs_insn *insn)
{
	return insn->id == X86_INS_CALL ||
	       (insn->id == X86_INS_JMP &&
		!in_list(s->stubs, s->nstubs, insn->address));
}

/* Pass 2: calls to a slot or a stub, judged by the tracked ecx. */
static int find_calls(struct scan *s, const struct drv_code *c,
		      drv_callsite_fn fn, void *ctx)
{
	const uint8_t *p = c->bytes;
	size_t left = c->len;
	uint64_t addr = c->rva, value = 0;
	cs_insn *insn = cs_malloc(s->cs);
	int known = 0, found = 0;

	while (insn && left) {
		if (!cs_disasm_iter(s->cs, &p, &left, &addr, insn)) {
			p++, left--, addr++;
			known = 0;
			continue;
		}
		if (is_call_site(s, insn)) {
			uint64_t t = branch_target(insn);

			if (in_list(s->targets, s->ntargets, t) ||
			    in_list(s->stubs, s->nstubs, t)) {
				found++;
				fn(ctx, (uint32_t)insn->address,
				   !known ? DRV_POOL_UNKNOWN :
				   drv_pool_type_executable(value) ?
					    DRV_POOL_EXEC : DRV_POOL_NX,
				   value);
			}
			known = 0;
		} else if (is_flow(s->cs, insn)) {
			known = 0;
		} else if (rcx_constant(insn, &value) == 0) {
			known = 1;
		} else if (writes_rcx(s->cs, insn)) {
			known = 0;
		}
	}
	cs_free(insn, 1);
	return found;
}

int drv_pool_callsites(const struct drv_code *code, size_t ncode,
		       const uint32_t *slots, size_t nslots,
		       drv_callsite_fn fn, void *ctx)
{
	struct scan s;
	size_t i;
	int found = 0;

	memset(&s, 0, sizeof(s));
	s.targets = slots;
	s.ntargets = nslots;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &s.cs) != CS_ERR_OK)
		return -1;
	cs_option(s.cs, CS_OPT_DETAIL, CS_OPT_ON);
	for (i = 0; i < ncode; i++)
		find_stubs(&s, &code[i]);
	for (i = 0; i < ncode; i++)
		found += find_calls(&s, &code[i], fn, ctx);
	cs_close(&s.cs);
	return found;
}
