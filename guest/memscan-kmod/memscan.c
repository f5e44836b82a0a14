// SPDX-License-Identifier: GPL-2.0
/*
 * memscan: a test-only kernel module that scans all of VTL0's physical
 * memory for a byte pattern it is never given in the clear
 * (tests/integration/vtl1-secret.sh; docs/secure-kernel.md "Vault").
 *
 * Parameters (module_param; "insmod memscan.ko mask=M0,M1 needle=N0,N1
 * selftest=1"):
 *   mask=HEX[,HEX...]    up to 4 masks, 16..64 bytes each (32..128 hex digits)
 *   needle=HEX[,HEX...]  as many needles, each as long as its mask
 *   selftest=1           the positive control: also plant 32 random bytes in
 *                        a kmalloc buffer ("selftest") and 32 others across
 *                        the boundary of two pages of one allocation
 *                        ("selftest-straddle"), and look for them
 * Pattern i matches the bytes b[0..len) at physical address A when
 * b[j] ^ mask_i[j] == needle_i[j] for every j: the caller passes
 * needle = secret ^ mask, so the secret itself is never written into VTL0
 * memory by the test (only one byte of it, the anchor below, is held in a
 * variable while scanning).
 *
 * What is scanned, in physical-address order, at EVERY byte offset
 * (a match may straddle pages, and adjacent ranges, when they are
 * physically contiguous):
 *   - every "System RAM" range of /proc/iomem (walk_iomem_res_desc), read
 *     in place through the direct map; a page whose direct-map entry is
 *     not present (lookup_address) is counted as unreadable, not read;
 *   - below the end of the highest RAM range, every other range the
 *     firmware's memory map (E820, which Linux builds from the UEFI memory
 *     map: UEFI 2.10 §7.2 "EFI_BOOT_SERVICES.GetMemoryMap()") describes as
 *     reserved, ACPI tables, ACPI NVS, persistent or soft-reserved memory,
 *     found as iomem resources by their descriptor (walk_iomem_res_desc),
 *     read through memremap(MEMREMAP_WB): among them the reserved ranges
 *     where the hypervisor and the secure kernel live, which VTL0 reads as
 *     zeros. Skipped and reported: such a range nested under a device's
 *     resource (MMIO, e.g. the PCIe ECAM inside "PCI MMCONFIG") and
 *     addresses the memory map does not describe (the legacy VGA/ROM
 *     window, the PCI hole).
 *
 * Output, in the kernel log (dmesg), every line prefixed "memscan: ":
 *   range 0xSTART-0xEND ram | mapped (TYPE) | skipped (WHY) | unreadable (WHY)
 *   NAME: planted 32 bytes at 0xPA    (NAME: selftest, selftest-straddle)
 *   pattern I: match at 0xPA          (the first 32 matches of each pattern;
 *                                      I = NAME for a plant)
 *   pattern I: N matches              (one per pattern)
 *   NAME: ok|FAILED (N matches, planted at 0xPA)   ok = exactly one, there
 *   done bytes=B pages=P ram_bytes=R mapped_bytes=M skipped_bytes=S
 *        unreadable_pages=U ranges=K ram_end=0xE patterns=N matches=A,B,.. ms=T
 * The module stays loaded after the scan (rmmod it to scan again).
 * Only for the test guest; never part of the protected system.
 *
 * GPL-2.0 because walk_iomem_res_desc and lookup_address are
 * EXPORT_SYMBOL_GPL; it contains no third-party code.
 */
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/pgtable.h>

#define MS_PATTERN_MIN 16
#define MS_PATTERN_MAX 64
#define MS_USER_PATTERNS 4
#define MS_SELFTEST_LEN 32
#define MS_MAX_RANGES 512
#define MS_REPORTED_MATCHES 32

static char *mask[MS_USER_PATTERNS];
static int n_mask;
module_param_array(mask, charp, &n_mask, 0);
MODULE_PARM_DESC(mask, "masks, hex, 16..64 bytes each");
static char *needle[MS_USER_PATTERNS];
static int n_needle;
module_param_array(needle, charp, &n_needle, 0);
MODULE_PARM_DESC(needle, "needles (secret XOR mask), hex, as long as their masks");
static bool selftest;
module_param(selftest, bool, 0);
MODULE_PARM_DESC(selftest, "plant random bytes and find them (positive control)");

struct ms_pattern {
	u8 mask[MS_PATTERN_MAX];
	u8 needle[MS_PATTERN_MAX];
	size_t len;
	size_t anchor;		/* index of the byte the word scan looks for */
	u8 anchor_byte;		/* needle[anchor] ^ mask[anchor] */
	u64 matches;
	u64 first_match;
	const char *plant;	/* a self-test plant's name; NULL: a caller's pattern */
	u64 planted_at;
};

enum ms_kind { MS_RAM, MS_MAPPED, MS_SKIP_MMIO, MS_SKIP_HOLE };

struct ms_range {
	u64 start, end;		/* [start, end), page aligned */
	enum ms_kind kind;
	unsigned long desc;	/* MS_MAPPED, MS_SKIP_MMIO: IORES_DESC_* */
};

struct ms_stats {
	u64 ram_bytes, mapped_bytes, skipped_bytes, unreadable_pages;
};

static struct ms_pattern patterns[MS_USER_PATTERNS + 2];
static size_t n_patterns;
static struct ms_range ranges[MS_MAX_RANGES];
static size_t n_ranges;
static struct ms_stats stats;

/* The tail of the segment scanned last, for matches that straddle into
 * the next one; holds data only between two segments. */
static u8 carry[MS_PATTERN_MAX - 1];
static size_t carry_len;
static u64 carry_end;	/* physical address just after carry[] */

/* ---- patterns -------------------------------------------------------- */

static void pattern_set_anchor(struct ms_pattern *p)
{
	size_t i;

	/* A byte that zero-filled or erased memory does not consist of. */
	p->anchor = 0;
	for (i = 0; i < p->len; i++) {
		u8 b = p->needle[i] ^ p->mask[i];

		if (b != 0x00 && b != 0xff) {
			p->anchor = i;
			break;
		}
	}
	p->anchor_byte = p->needle[p->anchor] ^ p->mask[p->anchor];
}

static int pattern_parse(struct ms_pattern *p, const char *mask_hex,
			 const char *needle_hex)
{
	size_t digits = strlen(mask_hex);

	if (digits != strlen(needle_hex) || digits % 2 ||
	    digits < 2 * MS_PATTERN_MIN || digits > 2 * MS_PATTERN_MAX)
		return -EINVAL;
	p->len = digits / 2;
	if (hex2bin(p->mask, mask_hex, p->len) ||
	    hex2bin(p->needle, needle_hex, p->len))
		return -EINVAL;
	pattern_set_anchor(p);
	return 0;
}

/* Does the pattern match at at[0..len)? Compares masked bytes only. */
static bool pattern_match(const struct ms_pattern *p, const u8 *at)
{
	size_t j;

	for (j = 0; j < p->len; j++)
		if ((at[j] ^ p->mask[j]) != p->needle[j])
			return false;
	return true;
}

static void pattern_found(struct ms_pattern *p, size_t index, u64 pa)
{
	if (!p->matches)
		p->first_match = pa;
	if (p->matches < MS_REPORTED_MATCHES) {
		if (p->plant)
			pr_info("memscan: pattern %s: match at 0x%llx\n", p->plant, pa);
		else
			pr_info("memscan: pattern %zu: match at 0x%llx\n", index, pa);
	}
	p->matches++;
}

/* ---- scanning -------------------------------------------------------- */

#define ONES  0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/*
 * Matches whose anchor byte lies in chunk [from, to) of the virtually
 * contiguous segment seg[0..seg_len) at physical address pa. The anchor
 * is found eight bytes at a time: a byte of x = word ^ (anchor * ONES) is
 * zero exactly where the word holds the anchor byte, and
 * (x - ONES) & ~x & HIGHS is non-zero iff x has a zero byte.
 */
static void scan_chunk(struct ms_pattern *p, size_t index, const u8 *seg,
		       size_t seg_len, size_t from, size_t to, u64 pa)
{
	const u64 rep = ONES * p->anchor_byte;
	size_t w, i;

	for (w = from; w < to; w += 8) {
		u64 x = *(const u64 *)(seg + w) ^ rep;

		if (!((x - ONES) & ~x & HIGHS))
			continue;
		for (i = w; i < w + 8; i++) {
			size_t start;

			if (seg[i] != p->anchor_byte || i < p->anchor)
				continue;
			start = i - p->anchor;
			if (start + p->len <= seg_len &&
			    pattern_match(p, seg + start))
				pattern_found(p, index, pa + start);
		}
	}
}

/* Matches that begin in carry[] and end in the segment starting at pa. */
static void scan_straddle(const u8 *seg, size_t seg_len, u64 pa)
{
	u8 stitch[2 * (MS_PATTERN_MAX - 1)];
	size_t head = min_t(size_t, seg_len, MS_PATTERN_MAX - 1);
	size_t k, s;

	if (!carry_len || carry_end != pa)
		goto out;
	memcpy(stitch, carry, carry_len);
	memcpy(stitch + carry_len, seg, head);
	for (k = 0; k < n_patterns; k++) {
		struct ms_pattern *p = &patterns[k];

		for (s = 0; s < carry_len; s++) {
			if (s + p->len <= carry_len)
				continue;	/* found with the last segment */
			if (s + p->len > carry_len + head)
				break;
			if (pattern_match(p, stitch + s))
				pattern_found(p, k, carry_end - carry_len + s);
		}
	}
	memzero_explicit(stitch, sizeof(stitch));
out:
	memzero_explicit(carry, sizeof(carry));
	carry_len = 0;
}

static void keep_tail(const u8 *seg, size_t seg_len, u64 pa)
{
	carry_len = min_t(size_t, seg_len, sizeof(carry));
	memcpy(carry, seg + seg_len - carry_len, carry_len);
	carry_end = pa + seg_len;
}

/* A virtually contiguous, readable segment (page multiple). */
static void scan_segment(const u8 *seg, size_t seg_len, u64 pa)
{
	size_t off, k;

	scan_straddle(seg, seg_len, pa);
	for (off = 0; off < seg_len; off += PAGE_SIZE) {
		for (k = 0; k < n_patterns; k++)
			scan_chunk(&patterns[k], k, seg, seg_len, off,
				   off + PAGE_SIZE, pa);
		cond_resched();
	}
	keep_tail(seg, seg_len, pa);
}

static bool direct_map_present(u64 pa, u64 *readable_to)
{
	unsigned long va = (unsigned long)__va(pa);
	unsigned int level;
	unsigned long size = PAGE_SIZE;
	pte_t *pte = lookup_address(va, &level);

	if (level == PG_LEVEL_2M)
		size = PMD_SIZE;
	else if (level == PG_LEVEL_1G)
		size = PUD_SIZE;
	*readable_to = ((pa & ~((u64)size - 1)) + size);
	return pte && pte_present(*pte);
}

/* System RAM, in place through the direct map, in present runs. */
static void scan_ram(const struct ms_range *r)
{
	u64 pa = r->start, run = r->start, to, stop;

	while (pa < r->end) {
		if (direct_map_present(pa, &to)) {
			pa = min(to, r->end);
			continue;
		}
		stop = min(to, r->end);
		if (pa > run) {
			scan_segment(__va(run), pa - run, run);
			stats.ram_bytes += pa - run;
		}
		pr_info("memscan: range 0x%llx-0x%llx unreadable (not in the direct map)\n",
			pa, stop - 1);
		stats.unreadable_pages += (stop - pa) >> PAGE_SHIFT;
		pa = run = stop;
	}
	if (pa > run) {
		scan_segment(__va(run), pa - run, run);
		stats.ram_bytes += pa - run;
	}
}

/* Non-RAM memory through a WB mapping; page by page if the whole range
 * cannot be mapped at once. */
static void scan_mapped(const struct ms_range *r)
{
	u64 pa;
	void *va = memremap(r->start, r->end - r->start, MEMREMAP_WB);

	if (va) {
		scan_segment(va, r->end - r->start, r->start);
		memunmap(va);
		stats.mapped_bytes += r->end - r->start;
		return;
	}
	for (pa = r->start; pa < r->end; pa += PAGE_SIZE) {
		va = memremap(pa, PAGE_SIZE, MEMREMAP_WB);
		if (!va) {
			pr_info("memscan: range 0x%llx-0x%llx unreadable (memremap failed)\n",
				pa, pa + PAGE_SIZE - 1);
			stats.unreadable_pages++;
			continue;
		}
		scan_segment(va, PAGE_SIZE, pa);
		memunmap(va);
		stats.mapped_bytes += PAGE_SIZE;
	}
}

/* ---- the ranges -------------------------------------------------------- */

static int range_add(u64 start, u64 end, enum ms_kind kind, unsigned long desc)
{
	struct ms_range *last = n_ranges ? &ranges[n_ranges - 1] : NULL;

	if (start >= end)
		return 0;
	if (last && last->end == start && last->kind == kind &&
	    last->desc == desc && kind != MS_RAM) {
		last->end = end;
		return 0;
	}
	if (n_ranges == MS_MAX_RANGES)
		return -ENOSPC;
	ranges[n_ranges++] = (struct ms_range){ start, end, kind, desc };
	return 0;
}

/*
 * The firmware's memory map as the kernel keeps it: every E820 range that
 * is not RAM becomes an iomem resource with a descriptor saying its type
 * (arch/x86 e820__reserve_resources: "Reserved", "ACPI Tables", "ACPI
 * Non-volatile Storage", ...). Those at the top level of the iomem tree
 * are memory nobody claimed as a device; one nested under a device or bus
 * (the PCIe ECAM window inside "PCI MMCONFIG") is MMIO.
 */
struct fw_range {
	u64 start, end;		/* [start, end) */
	unsigned long desc;
	bool device;		/* nested under another resource */
};

static const unsigned long fw_descs[] = {
	IORES_DESC_RESERVED, IORES_DESC_ACPI_TABLES, IORES_DESC_ACPI_NV_STORAGE,
	IORES_DESC_PERSISTENT_MEMORY_LEGACY, IORES_DESC_SOFT_RESERVED,
};

#define MS_MAX_FW_RANGES 256
static struct fw_range fw_ranges[MS_MAX_FW_RANGES];
static size_t n_fw_ranges;

static int add_fw(struct resource *res, void *arg)
{
	if (n_fw_ranges == MS_MAX_FW_RANGES)
		return -ENOSPC;
	fw_ranges[n_fw_ranges++] = (struct fw_range){
		.start = res->start & PAGE_MASK,
		.end = PAGE_ALIGN(res->end + 1),
		.desc = res->desc,
		.device = res->parent != &iomem_resource,
	};
	return 0;
}

static int collect_fw_ranges(u64 below)
{
	size_t i;
	int err;

	n_fw_ranges = 0;
	for (i = 0; i < ARRAY_SIZE(fw_descs); i++) {
		err = walk_iomem_res_desc(fw_descs[i], IORESOURCE_MEM, 0,
					  below - 1, NULL, add_fw);
		if (err == -ENOSPC)
			return err;
	}
	return 0;
}

/* The firmware range holding pa (NULL if none); in *next its end, or the
 * start of the next one above pa. */
static const struct fw_range *fw_range_at(u64 pa, u64 *next)
{
	u64 above = U64_MAX;
	size_t i;

	for (i = 0; i < n_fw_ranges; i++) {
		const struct fw_range *f = &fw_ranges[i];

		if (pa >= f->start && pa < f->end) {
			*next = f->end;
			return f;
		}
		if (f->start > pa && f->start < above)
			above = f->start;
	}
	*next = above;
	return NULL;
}

/* [start, end) lies between RAM ranges: split it by the memory map. */
static int add_gap(u64 start, u64 end)
{
	const struct fw_range *f;
	u64 pa = start, next;
	int err;

	while (pa < end) {
		f = fw_range_at(pa, &next);
		next = next >= end ? end : max(next, pa + PAGE_SIZE);
		if (!f)
			err = range_add(pa, next, MS_SKIP_HOLE, 0);
		else if (f->device)
			err = range_add(pa, next, MS_SKIP_MMIO, f->desc);
		else
			err = range_add(pa, next, MS_MAPPED, f->desc);
		if (err)
			return err;
		pa = next;
	}
	return 0;
}

static int ram_top(struct resource *res, void *arg)
{
	u64 *top = arg;

	*top = max_t(u64, *top, (res->end + 1) & PAGE_MASK);
	return 0;
}

struct ram_walk {
	u64 prev_end;
	int err;
};

static int add_ram(struct resource *res, void *arg)
{
	struct ram_walk *w = arg;
	u64 start = PAGE_ALIGN(res->start);
	u64 end = (res->end + 1) & PAGE_MASK;

	if (start >= end)
		return 0;
	if (start > w->prev_end)
		w->err = add_gap(w->prev_end, start);
	if (!w->err)
		w->err = range_add(start, end, MS_RAM, 0);
	w->prev_end = end;
	return w->err;
}

static int collect_ranges(u64 *ram_end)
{
	struct ram_walk w = { 0, 0 };
	u64 top = 0;
	int err;

	/* The end of RAM first: the firmware ranges below it. */
	walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM, 0, U64_MAX,
			    &top, ram_top);
	if (!top)
		return -ENODEV;
	err = collect_fw_ranges(top);
	if (err)
		return err;
	n_ranges = 0;
	walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM, 0,
			    U64_MAX, &w, add_ram);
	*ram_end = w.prev_end;
	if (!w.err && !n_ranges)
		return -ENODEV;
	return w.err;
}

static const char *desc_name(unsigned long desc)
{
	switch (desc) {
	case IORES_DESC_RESERVED:
		return "reserved";
	case IORES_DESC_ACPI_TABLES:
		return "ACPI tables";
	case IORES_DESC_ACPI_NV_STORAGE:
		return "ACPI NVS";
	case IORES_DESC_PERSISTENT_MEMORY_LEGACY:
		return "persistent memory (legacy)";
	case IORES_DESC_SOFT_RESERVED:
		return "soft reserved";
	}
	return "?";
}

static void range_report(const struct ms_range *r)
{
	switch (r->kind) {
	case MS_RAM:
		pr_info("memscan: range 0x%llx-0x%llx ram\n", r->start, r->end - 1);
		break;
	case MS_MAPPED:
		pr_info("memscan: range 0x%llx-0x%llx mapped (%s)\n",
			r->start, r->end - 1, desc_name(r->desc));
		break;
	case MS_SKIP_MMIO:
		pr_info("memscan: range 0x%llx-0x%llx skipped (%s claimed by a device: mmio)\n",
			r->start, r->end - 1, desc_name(r->desc));
		break;
	case MS_SKIP_HOLE:
		pr_info("memscan: range 0x%llx-0x%llx skipped (not in the memory map)\n",
			r->start, r->end - 1);
		break;
	}
}

static void scan_all(void)
{
	size_t i;

	for (i = 0; i < n_ranges; i++) {
		const struct ms_range *r = &ranges[i];

		range_report(r);
		if (r->kind == MS_RAM) {
			scan_ram(r);
		} else if (r->kind == MS_MAPPED) {
			scan_mapped(r);
		} else {
			scan_straddle(NULL, 0, U64_MAX);	/* not contiguous */
			stats.skipped_bytes += r->end - r->start;
		}
	}
	scan_straddle(NULL, 0, U64_MAX);
}

/* ---- module ------------------------------------------------------------ */

static u8 *plant_small;		/* kmalloc'd */
static unsigned long plant_pages;	/* two pages, one allocation */

/* Random bytes at buf, looked for as a pattern with a random mask. */
static void plant(u8 *buf, const char *name)
{
	struct ms_pattern *p = &patterns[n_patterns++];
	size_t j;

	get_random_bytes(buf, MS_SELFTEST_LEN);
	get_random_bytes(p->mask, MS_SELFTEST_LEN);
	for (j = 0; j < MS_SELFTEST_LEN; j++)
		p->needle[j] = buf[j] ^ p->mask[j];
	p->len = MS_SELFTEST_LEN;
	p->plant = name;
	p->planted_at = virt_to_phys(buf);
	pattern_set_anchor(p);
	pr_info("memscan: %s: planted %d bytes at 0x%llx\n", name,
		MS_SELFTEST_LEN, p->planted_at);
}

static int selftest_prepare(void)
{
	plant_small = kmalloc(MS_SELFTEST_LEN, GFP_KERNEL);
	plant_pages = __get_free_pages(GFP_KERNEL, 1);
	if (!plant_small || !plant_pages)
		return -ENOMEM;
	plant(plant_small, "selftest");
	plant((u8 *)plant_pages + PAGE_SIZE - MS_SELFTEST_LEN / 2,
	      "selftest-straddle");
	return 0;
}

static void selftest_cleanup(void)
{
	if (plant_small) {
		memzero_explicit(plant_small, MS_SELFTEST_LEN);
		kfree(plant_small);
		plant_small = NULL;
	}
	if (plant_pages) {
		memzero_explicit((void *)plant_pages, 2 * PAGE_SIZE);
		free_pages(plant_pages, 1);
		plant_pages = 0;
	}
}

static void report(u64 ram_end, u64 ns)
{
	char counts[MS_USER_PATTERNS * 21 + 1] = "";
	size_t k, used = 0;

	for (k = 0; k < n_patterns; k++) {
		const struct ms_pattern *p = &patterns[k];

		if (p->plant) {
			pr_info("memscan: pattern %s: %llu matches\n", p->plant,
				p->matches);
			pr_info("memscan: %s: %s (%llu matches, planted at 0x%llx)\n",
				p->plant, p->matches == 1 &&
				p->first_match == p->planted_at ? "ok" : "FAILED",
				p->matches, p->planted_at);
			continue;
		}
		pr_info("memscan: pattern %zu: %llu matches\n", k, p->matches);
		used += scnprintf(counts + used, sizeof(counts) - used, "%s%llu",
				  k ? "," : "", p->matches);
	}
	pr_info("memscan: done bytes=%llu pages=%llu ram_bytes=%llu mapped_bytes=%llu skipped_bytes=%llu unreadable_pages=%llu ranges=%zu ram_end=0x%llx patterns=%zu matches=%s ms=%llu\n",
		stats.ram_bytes + stats.mapped_bytes,
		(stats.ram_bytes + stats.mapped_bytes) >> PAGE_SHIFT,
		stats.ram_bytes, stats.mapped_bytes, stats.skipped_bytes,
		stats.unreadable_pages, n_ranges, ram_end,
		n_patterns, used ? counts : "-", ns / 1000000);
}

static int __init memscan_init(void)
{
	u64 ram_end, t0;
	int i, err;

	if (n_mask != n_needle || (!n_mask && !selftest)) {
		pr_err("memscan: give mask= and needle= pairs and/or selftest=1\n");
		return -EINVAL;
	}
	for (i = 0; i < n_mask; i++) {
		if (pattern_parse(&patterns[n_patterns], mask[i], needle[i])) {
			pr_err("memscan: pattern %d: mask and needle must be hex of the same length, %d..%d bytes\n",
			       i, MS_PATTERN_MIN, MS_PATTERN_MAX);
			return -EINVAL;
		}
		n_patterns++;
	}
	err = collect_ranges(&ram_end);
	if (err) {
		pr_err("memscan: cannot list the memory ranges (%d)\n", err);
		return err;
	}
	if (selftest && selftest_prepare()) {
		selftest_cleanup();
		return -ENOMEM;
	}
	t0 = ktime_get_ns();
	scan_all();
	report(ram_end, ktime_get_ns() - t0);
	selftest_cleanup();
	return 0;
}

static void __exit memscan_exit(void)
{
}

module_init(memscan_init);
module_exit(memscan_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("OpenVBS test: scan VTL0 physical memory for a masked pattern");
