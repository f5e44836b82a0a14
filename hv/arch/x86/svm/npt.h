/* SPDX-License-Identifier: MIT */
/*
 * Nested page tables (APM2 §15.25 "Nested Paging"): an identity map of
 * guest-physical memory, large pages where possible, split on demand, and
 * a per-page permission API (docs/hypervisor.md "Nested page tables").
 * Pure: also built on the host for tests/unit/hv_npt.c. Table pages come
 * from a pool reserved at boot; nothing here calls an allocator.
 *
 * Physical addresses are turned into pointers by identity (the hypervisor
 * maps all physical memory 1:1; the host tests use real pointers).
 */
#ifndef HV_SVM_NPT_H
#define HV_SVM_NPT_H

#include <stdbool.h>
#include <stdint.h>

/* APM2 §5.3.3 "4-Kbyte Page Translation", §5.4 "Page-Translation-Table
 * Entry Fields"; in nested tables every guest access is a user access
 * (APM2 §15.25.5), so U is set at every level. */
#define NPT_P     (1ull << 0)
#define NPT_RW    (1ull << 1)
#define NPT_US    (1ull << 2)
#define NPT_PS    (1ull << 7)
#define NPT_NX    (1ull << 63)
#define NPT_ADDR_MASK 0x000ffffffffff000ull

#define NPT_4K (1ull << 12)
#define NPT_2M (1ull << 21)
#define NPT_1G (1ull << 30)

enum npt_perm {
	NPT_PERM_RWX,
	NPT_PERM_RX,
	NPT_PERM_RW,   /* no execute */
	NPT_PERM_R,    /* read only, no execute */
	NPT_PERM_NONE, /* not present: every access faults */
	NPT_PERM_HIDDEN, /* the shared zero page, read only, no execute */
};

/* Pages reserved at boot for table pages (contiguous, 4 KiB aligned). */
struct npt_pool {
	uint64_t base;
	uint32_t npages;
	uint32_t used;
};

struct npt {
	uint64_t pml4;      /* physical address, the VMCB's N_CR3 */
	uint64_t top;       /* identity map covers [0, top) */
	uint64_t zero_page; /* physical address of the shared zero page */
	struct npt_pool *pool;
	bool flush_pending; /* TLB_CONTROL=1 on the next VMRUN */
};

/* Entry builders (pure). */
uint64_t npt_table_entry(uint64_t table_pa);
uint64_t npt_leaf_entry(uint64_t pa, enum npt_perm perm, bool large);

/* A zeroed 4 KiB page from the pool, 0 when the pool is empty. */
uint64_t npt_pool_page(struct npt_pool *pool);

/*
 * Identity map [0, top) (top a multiple of 2 MiB) with 1 GiB pages when
 * use_1g, else 2 MiB pages. 0 on success, -1 when the pool runs out.
 */
int npt_build_identity(struct npt *n, uint64_t top, bool use_1g);
/* The same with every page given perm (VTL1's view: RW, no execute). */
int npt_build_identity_as(struct npt *n, uint64_t top, bool use_1g,
			  enum npt_perm perm);

/*
 * Permission of the 4 KiB page at gpa; the large page holding it is split
 * first (pool pages). NPT_PERM_HIDDEN maps the zero page instead of gpa.
 * Sets flush_pending. 0, or -1 (outside the map, or pool empty).
 */
int npt_set_perm(struct npt *n, uint64_t gpa, enum npt_perm perm);

/*
 * MMIO above the identity map (PCI 64-bit windows lie above the memory
 * map's top): identity-map the aligned 1 GiB holding gpa, read/write and
 * no-execute, with one 1 GiB page or a table of 2 MiB pages from the pool,
 * when the guest first touches it. gpa must be in [top, limit). 0 (also
 * when already mapped), or -1 (out of range, or pool empty). No flush is
 * needed: the range was not present before.
 */
int npt_map_mmio_1g(struct npt *n, uint64_t gpa, uint64_t limit, bool use_1g);

/* The leaf entry for gpa and its size (4K/2M/1G), 0 when unmapped. */
uint64_t npt_lookup(const struct npt *n, uint64_t gpa, uint64_t *size);

#endif
