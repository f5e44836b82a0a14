/* SPDX-License-Identifier: MIT */
/*
 * The secure kernel's own page tables (docs/secure-kernel.md "Page tables
 * and traps"): a builder and a walker over 4-level long-mode tables
 * (APM2 §5.3 "Long-Mode Page Translation"). Pure: tables live in pages the
 * caller hands over, and a table's physical address is its pointer (VTL1
 * maps RAM 1:1; the host tests use host memory the same way).
 */
#ifndef SK_CORE_PAGING_H
#define SK_CORE_PAGING_H

#include <stdint.h>

/* APM2 §5.4.1 "Field Definitions" (long-mode entries). */
#define SK_PT_P (1ull << 0)
#define SK_PT_RW (1ull << 1)
#define SK_PT_PWT (1ull << 3)
#define SK_PT_PCD (1ull << 4)
#define SK_PT_PS (1ull << 7)
#define SK_PT_NX (1ull << 63)
#define SK_PT_ADDR 0x000ffffffffff000ull

#define SK_PAGE 0x1000ull
#define SK_2M 0x200000ull
#define SK_1G 0x40000000ull
#define SK_PT_MAP_MAX (512ull * SK_1G) /* one PDPT */

/* What a 4 KiB page of the split range allows (no value is W and X). */
enum sk_pt_perm {
	SK_PT_NONE = 0,    /* not present */
	SK_PT_READ = 1,    /* read-only, no-execute */
	SK_PT_EXEC = 2,    /* read-only, executable */
	SK_PT_WRITE = 3,   /* read/write, no-execute */
};

struct sk_pt_range {
	uint64_t start, end;     /* page aligned, [start, end) */
	enum sk_pt_perm perm;
};

/*
 * The secure kernel's stacks (core/main.c), one block per CPU, low to
 * high: [guard][call stack][guard][intercept stack][guard][#DF stack]
 * [guard][#PF stack]. Each guard is a 4 KiB page the tables leave not
 * present, directly below its stack (the stacks grow down), so running
 * off a stack's bottom is a #PF instead of a silent write into the
 * neighbour. The blocks are adjacent: the next CPU's first page is a
 * guard too.
 */
enum sk_stack_kind {
	SK_STACK_CALL = 0,       /* VTL calls (sk_serve), 16 KiB */
	SK_STACK_INTERCEPT,      /* secure intercepts, 8 KiB */
	SK_STACK_DF,             /* #DF, IST1, 4 KiB */
	SK_STACK_PF,             /* #PF, IST2, 4 KiB */
	SK_STACK_KINDS,
};
#define SK_STACK_CPU_PAGES 12u   /* per CPU: 8 stack pages, 4 guards */
#define SK_STACK_CPUS_MAX 64u

struct sk_stacks {
	uint64_t base;           /* page aligned: CPU 0's first guard */
	uint32_t ncpus;          /* 0: no stacks (yet) */
};

/* Bytes of the blocks for ncpus CPUs. */
uint64_t sk_stacks_size(uint32_t ncpus);
/* The guard page below, and the top of, cpu's stack of kind k; 0 when
 * there is no such stack. */
uint64_t sk_stack_guard(const struct sk_stacks *s, uint32_t cpu,
			enum sk_stack_kind k);
uint64_t sk_stack_top(const struct sk_stacks *s, uint32_t cpu,
		      enum sk_stack_kind k);
/* 1 when addr lies in a guard page (whose CPU and stack are stored),
 * else 0. */
int sk_stack_guard_of(const struct sk_stacks *s, uint64_t addr,
		      uint32_t *cpu, enum sk_stack_kind *k);
/* The secure kernel's own stacks (core/main.c, not pure): the top of
 * cpu's stack of kind k, 0 before sk_main allocated them. */
uint64_t sk_cpu_stack_top(uint32_t cpu, enum sk_stack_kind k);

/*
 * Identity of [0, map_top) (rounded up to 2 MiB) in 2 MiB pages,
 * read/write, no-execute; [split_start, split_end) (2 MiB aligned) in
 * 4 KiB pages, read/write no-execute unless one of ranges (inside it,
 * applied in order) says otherwise; the 2 MiB page holding uc_addr (0:
 * none; outside the split range) uncacheable with PCD|PWT. The guard
 * pages of stacks (NULL: none; the blocks inside the split range) are
 * not present, whatever the ranges say.
 */
struct sk_pt_layout {
	uint64_t map_top;
	uint64_t split_start, split_end;
	const struct sk_pt_range *ranges;
	uint32_t nranges;
	uint64_t uc_addr;
	const struct sk_stacks *stacks;
};

/* Zeroed, 4 KiB-aligned pages the builder takes tables from. */
struct sk_pt_pool {
	uint8_t *base;
	uint32_t npages, used;
};

enum sk_pt_status {
	SK_PT_OK = 0,
	SK_PT_E_LAYOUT = -1,     /* sizes, alignment, ranges */
	SK_PT_E_NOMEM = -2,      /* the pool is too small */
	SK_PT_E_UNMAPPED = -3,   /* lookup: no translation */
	SK_PT_E_BAD = -4,        /* lookup: a reserved PS bit */
};

/* Table pages sk_pt_build needs for l (0 for an unusable layout). */
uint32_t sk_pt_pages_needed(const struct sk_pt_layout *l);
int sk_pt_build(const struct sk_pt_layout *l, struct sk_pt_pool *pool,
		uint64_t *root);

/* The translation of va: effective rights are the AND of RW and the OR
 * of NX over all levels (APM2 §5.6 "Page-Protection Checks"). */
struct sk_pt_leaf {
	uint64_t pa;             /* physical address of va */
	uint64_t size;           /* leaf size: 4 KiB, 2 MiB or 1 GiB */
	uint64_t entry;          /* the leaf entry */
	int writable, executable;
};
/* SK_PT_OK; SK_PT_E_UNMAPPED with leaf->size = what the missing entry
 * would cover (so a walk can step over it); SK_PT_E_BAD. */
int sk_pt_lookup(uint64_t root, uint64_t va, struct sk_pt_leaf *leaf);

/* What the W^X check expects of the secure kernel's image. */
struct sk_wx_expect {
	uint64_t text_start, text_end;   /* code: RX */
	uint64_t ro_end;                 /* [text_end, ro_end): R, NX */
	uint64_t image_end;              /* [ro_end, image_end): RW, NX */
	const struct sk_stacks *stacks;  /* NULL, or outside the image: each
					  * guard not present, each stack
					  * page RW, NX */
};

enum sk_wx_violation {
	SK_WX_OK = 0,
	SK_WX_UNMAPPED,          /* an image page has no translation */
	SK_WX_NOT_IDENTITY,      /* a page maps elsewhere than itself */
	SK_WX_WRITE_EXEC,        /* a page is writable and executable */
	SK_WX_CODE_WRITABLE,     /* code is writable */
	SK_WX_CODE_NOEXEC,       /* code is not executable */
	SK_WX_RO_WRITABLE,       /* read-only data is writable */
	SK_WX_DATA_EXEC,         /* data is executable */
	SK_WX_DATA_READONLY,     /* data/bss is not writable */
	SK_WX_EXEC_OUTSIDE,      /* executable memory outside the code */
	SK_WX_BAD_ENTRY,         /* a PS bit where none may be */
	SK_WX_UPPER_HALF,        /* something mapped above 2^47 */
	SK_WX_BAD_EXPECT,        /* the expectation itself is inconsistent */
	SK_WX_GUARD_MAPPED,      /* a stack's guard page is present */
	SK_WX_STACK_BAD,         /* a stack page is not RW, NX, identity */
};

struct sk_wx_report {
	uint64_t code, rodata, data;     /* bytes of the image found so */
	uint64_t exec_total;             /* executable bytes anywhere */
	uint64_t mapped_total;           /* bytes mapped anywhere */
	uint64_t bad_addr;               /* first violating address */
	uint32_t guards;                 /* guard pages found not present */
	enum sk_wx_violation violation;
};

/* Walks the tables at root: the image page by page, the stacks and
 * their guards, then the whole address space leaf by leaf (every present
 * leaf maps itself, none is writable and executable, only the code is
 * executable). SK_WX_OK when W^X holds as expected; else the first
 * violation and its address. */
enum sk_wx_violation sk_pt_verify(uint64_t root, const struct sk_wx_expect *e,
				  struct sk_wx_report *r);

#endif
