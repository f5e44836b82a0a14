// SPDX-License-Identifier: MIT
/*
 * Instruction length from the opcode maps: APM3 Appendix A "Opcode and
 * Operand Encodings" (one-byte map A.2.1, two-byte map A.2.2, ModRM/SIB
 * A.2.4 and SDM2 Tables 2-1/2-2/2-3) and APM3 §1.2 "Instruction Prefixes".
 * insn_length computes only the length; insn_decode_store (below) reads
 * the operands of the few stores it knows.
 */
#include "arch/x86/insn.h"

/* Flags of one opcode. */
#define M   0x01 /* ModRM follows */
#define I8  0x02 /* imm8 */
#define I16 0x04 /* imm16 */
#define IZ  0x08 /* imm16 with 0x66, else imm32 */
#define IV  0x10 /* imm16/32, imm64 with REX.W (mov r, imm: B8-BF) */
#define MO  0x20 /* moffs: address-size offset (A0-A3) */
#define X   0x40 /* invalid in 64-bit mode */
#define GRP3 0x80 /* F6/F7: immediate only for /0 and /1 */

/* APM3 Table A-1 "One-Byte Opcodes" (64-bit mode marks: X). */
static const uint8_t map1[256] = {
	[0x00 ... 0x03] = M, [0x04] = I8, [0x05] = IZ, [0x06 ... 0x07] = X,
	[0x08 ... 0x0b] = M, [0x0c] = I8, [0x0d] = IZ, [0x0e] = X,
	[0x10 ... 0x13] = M, [0x14] = I8, [0x15] = IZ, [0x16 ... 0x17] = X,
	[0x18 ... 0x1b] = M, [0x1c] = I8, [0x1d] = IZ, [0x1e ... 0x1f] = X,
	[0x20 ... 0x23] = M, [0x24] = I8, [0x25] = IZ, [0x27] = X,
	[0x28 ... 0x2b] = M, [0x2c] = I8, [0x2d] = IZ, [0x2f] = X,
	[0x30 ... 0x33] = M, [0x34] = I8, [0x35] = IZ, [0x37] = X,
	[0x38 ... 0x3b] = M, [0x3c] = I8, [0x3d] = IZ, [0x3f] = X,
	[0x60 ... 0x61] = X, [0x62] = M | X, [0x63] = M,
	[0x68] = IZ, [0x69] = M | IZ, [0x6a] = I8, [0x6b] = M | I8,
	[0x70 ... 0x7f] = I8,
	[0x80] = M | I8, [0x81] = M | IZ, [0x82] = M | I8 | X, [0x83] = M | I8,
	[0x84 ... 0x8f] = M,
	[0x9a] = X,
	[0xa0 ... 0xa3] = MO, [0xa8] = I8, [0xa9] = IZ,
	[0xb0 ... 0xb7] = I8, [0xb8 ... 0xbf] = IV,
	[0xc0 ... 0xc1] = M | I8, [0xc2] = I16, [0xc4 ... 0xc5] = M,
	[0xc6] = M | I8, [0xc7] = M | IZ, [0xc8] = I16 | I8, [0xca] = I16,
	[0xcd] = I8, [0xce] = X,
	[0xd0 ... 0xd3] = M, [0xd4 ... 0xd5] = I8 | X, [0xd6] = X,
	[0xd8 ... 0xdf] = M,
	[0xe0 ... 0xe7] = I8, [0xe8 ... 0xe9] = IZ, [0xea] = X, [0xeb] = I8,
	[0xf6 ... 0xf7] = M | GRP3, [0xfe ... 0xff] = M,
};

/* APM3 Table A-3 "Secondary Opcode Map (Two-byte Opcodes)". */
static const uint8_t map2[256] = {
	[0x00 ... 0x03] = M, [0x0d] = M, [0x0f] = M | I8,
	[0x10 ... 0x1f] = M, [0x20 ... 0x23] = M, [0x28 ... 0x2f] = M,
	[0x40 ... 0x6f] = M, [0x70 ... 0x73] = M | I8, [0x74 ... 0x76] = M,
	[0x78 ... 0x7f] = M,
	[0x80 ... 0x8f] = IZ, [0x90 ... 0x9f] = M,
	[0xa3] = M, [0xa4] = M | I8, [0xa5] = M, [0xab] = M, [0xac] = M | I8,
	[0xad ... 0xaf] = M,
	[0xb0 ... 0xb9] = M, [0xba] = M | I8, [0xbb ... 0xbf] = M,
	[0xc0 ... 0xc1] = M, [0xc2] = M | I8, [0xc3] = M,
	[0xc4 ... 0xc6] = M | I8, [0xc7] = M,
	[0xd0 ... 0xff] = M,
};

static int is_legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
		return 1;
	default:
		return 0;
	}
}

/*
 * ModRM + SIB + displacement bytes (SDM2 Table 2-1 for 16-bit, 2-2/2-3 for
 * 32/64-bit addressing); 0 means truncated.
 */
static size_t modrm_len(const uint8_t *b, size_t avail, int addr16)
{
	uint8_t modrm, mod, rm;
	size_t n = 1;

	if (avail < 1)
		return 0;
	modrm = b[0];
	mod = modrm >> 6;
	rm = modrm & 7;
	if (mod == 3)
		return 1;
	if (addr16) {
		if (mod == 0 && rm == 6)
			return 3;
		return 1 + (mod == 1 ? 1 : mod == 2 ? 2 : 0);
	}
	if (rm == 4) {
		if (avail < 2)
			return 0;
		n = 2;
		if (mod == 0 && (b[1] & 7) == 5)
			return n + 4;
	}
	if (mod == 0 && rm == 5)
		return n + 4; /* disp32 (RIP-relative in 64-bit mode) */
	return n + (mod == 1 ? 1 : mod == 2 ? 4 : 0);
}

int insn_length(const uint8_t *b, size_t avail, enum insn_mode mode)
{
	int opsize16 = mode == INSN_MODE16, addr16 = mode == INSN_MODE16;
	int rex_w = 0, two_byte = 0, three_byte = 0, a67 = 0;
	size_t i = 0, n, imm = 0;
	uint8_t op, fl;

	if (avail > INSN_MAX_LEN)
		avail = INSN_MAX_LEN;
	/* APM3 §1.2 "Instruction Prefixes"; REX counts only right before
	 * the opcode (§1.2.7), a legacy prefix after it cancels it. */
	for (;; i++) {
		if (i >= avail)
			return i >= INSN_MAX_LEN ? INSN_E_LONG : INSN_E_TRUNC;
		if (is_legacy_prefix(b[i])) {
			if (b[i] == 0x66)
				opsize16 = mode != INSN_MODE16;
			if (b[i] == 0x67) {
				addr16 = mode == INSN_MODE32;
				a67 = 1;
			}
			rex_w = 0;
			continue;
		}
		if (mode == INSN_MODE64 && (b[i] & 0xf0) == 0x40) {
			rex_w = (b[i] & 0x08) != 0;
			continue;
		}
		break;
	}
	op = b[i++];
	if (op == 0x0f) {
		if (i >= avail)
			return INSN_E_TRUNC;
		op = b[i++];
		two_byte = 1;
		if (op == 0x38 || op == 0x3a) {
			if (i >= avail)
				return INSN_E_TRUNC;
			three_byte = op == 0x3a ? 2 : 1;
			i++;
		}
	}
	if (three_byte) {
		fl = M | (three_byte == 2 ? I8 : 0);
	} else if (two_byte) {
		fl = map2[op];
	} else {
		fl = map1[op];
		/* VEX (c4/c5) and EVEX (62) in 64-bit mode, or with mod=11
		 * elsewhere; XOP (8f /1-7) likewise: not decoded here. */
		if ((op == 0xc4 || op == 0xc5 || op == 0x62) &&
		    (mode == INSN_MODE64 || (i < avail && b[i] >= 0xc0)))
			return INSN_E_UNSUPP;
		if (mode == INSN_MODE64 && (fl & X))
			return INSN_E_INVALID;
		if (op == 0x8f && i < avail && (b[i] & 0x38))
			return INSN_E_UNSUPP;
		if (mode != INSN_MODE64 && (op == 0x9a || op == 0xea))
			imm = (opsize16 ? 2 : 4) + 2; /* ptr16:16/32 */
	}
	if (fl & M) {
		n = modrm_len(b + i, avail - i, addr16);
		if (!n)
			return INSN_E_TRUNC;
		if ((fl & GRP3) && ((b[i] >> 3) & 7) < 2)
			imm += op == 0xf6 ? 1 : (opsize16 ? 2 : 4);
		i += n;
	}
	if (fl & I8)
		imm += 1;
	if (fl & I16)
		imm += 2;
	if (fl & IZ)
		imm += opsize16 && !rex_w ? 2 : 4;
	if (fl & IV)
		imm += rex_w ? 8 : opsize16 ? 2 : 4;
	if (fl & MO)
		imm += mode == INSN_MODE64 ? (a67 ? 4 : 8) : (addr16 ? 2 : 4);
	if (i + imm > INSN_MAX_LEN)
		return INSN_E_LONG;
	if (i + imm > avail)
		return INSN_E_TRUNC;
	return (int)(i + imm);
}

/*
 * Store decoding (insn_decode_store). The length comes from insn_length
 * above, so every offset below lies inside b[0..len).
 */
#define REX_W 0x08
#define REX_R 0x04

/* The legacy prefixes and REX in front of a store's opcode. */
struct store_prefixes {
	size_t count;   /* prefix bytes, REX included */
	bool opsize;    /* 66 */
	bool lock;      /* F0 */
	bool rep;       /* F2 or F3 */
	uint8_t rex;    /* 0 when none, or cancelled by a later legacy prefix */
};

/* APM3 §1.2 "Instruction Prefixes"; §1.2.7 "REX Prefix": REX counts only
 * right before the opcode (as in insn_length). @pre b holds a whole
 * instruction of len bytes, so its prefixes end before b[len - 1]. */
static void store_prefixes(const uint8_t *b, size_t len, enum insn_mode mode,
			   struct store_prefixes *p)
{
	size_t i;

	*p = (struct store_prefixes){ 0 };
	for (i = 0; i < len; i++) {
		if (is_legacy_prefix(b[i])) {
			p->opsize |= b[i] == 0x66;
			p->lock |= b[i] == 0xf0;
			p->rep |= b[i] == 0xf2 || b[i] == 0xf3;
			p->rex = 0;
		} else if (mode == INSN_MODE64 && (b[i] & 0xf0) == 0x40) {
			p->rex = b[i];
		} else {
			break;
		}
	}
	p->count = i;
}

/* APM3 §1.2.2 "Operand-Size Override Prefix" (Table 1-3 "Operand-Size
 * Overrides"): the byte forms of these opcodes have bit 0 clear; REX.W
 * wins over 66; 66 toggles between 16 and 32 bits. */
static uint8_t store_size(uint8_t op, const struct store_prefixes *p,
			  enum insn_mode mode)
{
	if (!(op & 1))
		return 1;
	if (p->rex & REX_W)
		return 8;
	if (mode == INSN_MODE16)
		return p->opsize ? 4 : 2;
	return p->opsize ? 2 : 4;
}

/* The immediate of C6/C7: the last 1, 2 or 4 bytes of the instruction
 * (APM3 "MOV": C7 takes imm16/imm32, with REX.W an imm32 sign-extended to
 * 64 bits). */
static uint64_t store_imm(const uint8_t *b, size_t len, uint8_t size)
{
	size_t width = size < 4 ? size : 4;
	const uint8_t *p = b + len - width;
	uint32_t v = 0;
	size_t i;

	for (i = 0; i < width; i++)
		v |= (uint32_t)p[i] << (8 * i);
	if (size == 8)
		return (uint64_t)(int64_t)(int32_t)v;
	return v;
}

int insn_decode_store(const uint8_t *b, size_t avail, enum insn_mode mode,
		      struct insn_store *out)
{
	struct store_prefixes p;
	int len = insn_length(b, avail, mode);
	uint8_t op, modrm;
	bool xchg;

	*out = (struct insn_store){ 0 };
	if (len < 0)
		return len;
	store_prefixes(b, (size_t)len, mode, &p);
	op = b[p.count];
	switch (op) {
	case 0x88: case 0x89: case 0x86: case 0x87:
	case 0xc6: case 0xc7: case 0xa2: case 0xa3:
		break;
	default:
		return INSN_E_NOTSTORE;
	}
	xchg = op == 0x86 || op == 0x87;
	/* APM3 §1.2.5 "Lock Prefix": LOCK on MOV raises #UD. F2/F3 in
	 * front of XCHG are the XACQUIRE/XRELEASE hints, not taken here. */
	if (p.lock && !xchg)
		return INSN_E_INVALID;
	if (p.rep)
		return INSN_E_NOTSTORE;
	out->len = (uint8_t)len;
	out->size = store_size(op, &p, mode);
	if (op == 0xa2 || op == 0xa3) {
		/* APM3 "MOV": A2/A3 store AL/eAX/rAX to a moffs address */
		out->kind = INSN_STORE_REG;
		return 0;
	}
	modrm = b[p.count + 1];
	/* SDM2 §2.1.5 "Addressing-Mode Encoding of ModR/M and SIB Bytes":
	 * mod 3 names a register, not memory. */
	if ((modrm >> 6) == 3)
		goto not_store;
	if (op == 0xc6 || op == 0xc7) {
		if ((modrm >> 3) & 7) /* only /0 is MOV */
			goto not_store;
		out->kind = INSN_STORE_IMM;
		out->imm = store_imm(b, (size_t)len, out->size);
		return 0;
	}
	out->kind = xchg ? INSN_XCHG_REG : INSN_STORE_REG;
	out->reg = (uint8_t)(((modrm >> 3) & 7) | (p.rex & REX_R ? 8 : 0));
	/* APM3 §1.2.7 "REX Prefix": without REX, byte registers 4..7 are
	 * AH CH DH BH; with any REX they are SPL BPL SIL DIL. */
	out->reg_high8 = out->size == 1 && !p.rex && out->reg >= 4;
	return 0;
not_store:
	*out = (struct insn_store){ 0 };
	return INSN_E_NOTSTORE;
}
