// SPDX-License-Identifier: MIT
/*
 * lib/fw/mat at scale: MAT-X1 (overlap) and MAT-C2 (runtime coverage) on
 * hostile tables, against brute-force references written here, and
 * lib/base/sort.h. The checks are O(n log n) with a workspace
 * (MAT_WORK_WORDS); without enough of one they fall back to comparing
 * pairs, which must give the same findings.
 */
#include <time.h>

#include "fw_test.h"
#include "base/sort.h"
#include "fw/mat.h"

#define RT EFI_MEMORY_RUNTIME
#define XP EFI_MEMORY_XP
#define PAGE 4096ull

/* Deterministic generator (xorshift64), so a failure reproduces. */
static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static bool end_of(const struct efi_md *m, uint64_t *end)
{
	uint64_t bytes;

	return !__builtin_mul_overflow(m->pages, PAGE, &bytes) &&
	       !__builtin_add_overflow(m->phys, bytes, end);
}

/* --- references: the rules as readiness-spec §2.2 states them ------- */

static bool overlap(const struct efi_md *a, const struct efi_md *b)
{
	uint64_t ea, eb;

	return end_of(a, &ea) && end_of(b, &eb) && a->phys < eb && b->phys < ea;
}

/* X1 indices: ascending table -> each entry against its predecessor;
 * otherwise each entry against all earlier ones. */
static size_t ref_x1(const struct efi_md *e, size_t n, int32_t *out)
{
	bool sorted = true;
	size_t i, j, k = 0;

	for (i = 1; i < n; i++)
		sorted &= e[i].phys >= e[i - 1].phys;
	for (i = 1; i < n; i++) {
		for (j = sorted ? i - 1 : 0; j < i; j++)
			if (overlap(&e[j], &e[i]))
				break;
		if (j < i)
			out[k++] = (int32_t)i;
	}
	return k;
}

/* C2: walk [start, end) forward through any entry that holds the point. */
static bool ref_covered(const struct efi_md *e, size_t n, uint64_t start,
			uint64_t end)
{
	uint64_t cur = start, ee;
	bool moved = true;
	size_t i;

	while (cur < end && moved) {
		moved = false;
		for (i = 0; i < n; i++)
			if (e[i].pages && end_of(&e[i], &ee) &&
			    e[i].phys <= cur && cur < ee) {
				cur = ee;
				moved = true;
			}
	}
	return cur >= end;
}

static size_t ref_c2(const struct efi_md *e, size_t n, const struct efi_md *map,
		     size_t map_n, int32_t *out)
{
	uint64_t end;
	size_t i, k = 0;

	for (i = 0; i < map_n; i++)
		if ((map[i].attr & RT) &&
		    (map[i].type == EFI_RUNTIME_SERVICES_CODE ||
		     map[i].type == EFI_RUNTIME_SERVICES_DATA) &&
		    end_of(&map[i], &end) && !ref_covered(e, n, map[i].phys, end))
			out[k++] = (int32_t)i;
	return k;
}

/* The indices of one rule's FAIL findings, in report order. */
static size_t rule_indices(const struct fw_report *r, const char *rule,
			   int32_t *out)
{
	uint32_t i;
	size_t k = 0;

	for (i = 0; i < r->count; i++)
		if (!strcmp(r->items[i].rule, rule) &&
		    r->items[i].sev == FW_SEV_FAIL)
			out[k++] = r->items[i].index;
	return k;
}

static void expect_same_reports(const struct fw_report *a,
				const struct fw_report *b)
{
	uint32_t i;

	assert_int_equal(a->count, b->count);
	assert_int_equal(a->dropped, b->dropped);
	for (i = 0; i < a->count; i++) {
		assert_string_equal(a->items[i].rule, b->items[i].rule);
		assert_int_equal(a->items[i].sev, b->items[i].sev);
		assert_int_equal(a->items[i].index, b->items[i].index);
		assert_int_equal(a->items[i].value, b->items[i].value);
	}
}

/* --- small random tables: every path against the references -------- */

static struct efi_md random_entry(uint64_t grain)
{
	struct efi_md m = { 5 + (uint32_t)(rng() % 2), 0, 0, 0, RT | XP };
	uint64_t r = rng();

	m.phys = (r % 48) * grain;
	switch ((r >> 8) % 12) {
	case 0:
		m.pages = 0;                       /* empty */
		break;
	case 1:
		m.pages = rng();                   /* mostly wrapping */
		break;
	case 2:
		m.phys = 0xfffffffffffff000ull - ((r >> 16) % 3) * PAGE;
		m.pages = 1 + (r >> 20) % 3;       /* at the top: may wrap */
		break;
	default:
		m.pages = (r >> 16) % 6;
		break;
	}
	if ((r >> 24) % 13 == 0)
		m.phys += (r >> 32) % PAGE;        /* misaligned */
	return m;
}

static void insertion_sort_by_phys(struct efi_md *e, size_t n)
{
	struct efi_md t;
	size_t i, j;

	for (i = 1; i < n; i++)
		for (j = i; j && e[j].phys < e[j - 1].phys; j--) {
			t = e[j];
			e[j] = e[j - 1];
			e[j - 1] = t;
		}
}

#define SMALL_MAX 300
#define SMALL_FIND 4096

static void test_random_tables(void **state)
{
	static struct fw_finding fa[SMALL_FIND], fb[SMALL_FIND], fc[SMALL_FIND];
	static uint32_t work[MAT_WORK_WORDS(SMALL_MAX)];
	static int32_t want[SMALL_MAX + 16], got[SMALL_MAX + 16];
	struct efi_md e[SMALL_MAX], map[12];
	struct fw_report ra, rb, rc;
	size_t n, map_n, i, nw, ng, short_len;
	uint32_t *short_work;
	unsigned int iter;
	uint64_t seen_x1 = 0, seen_c2 = 0, seen_c2_ok = 0;

	(void)state;
	rng_state = 0x9e3779b97f4a7c15ull;
	for (iter = 0; iter < 3000; iter++) {
		n = iter % 100 == 0 ? SMALL_MAX : rng() % 40;
		for (i = 0; i < n; i++)
			e[i] = random_entry(iter & 1 ? PAGE : PAGE / 2);
		if (rng() % 3 == 0)
			insertion_sort_by_phys(e, n);  /* the neighbour path */
		map_n = rng() % 12;
		for (i = 0; i < map_n; i++) {
			map[i] = random_entry(PAGE);
			map[i].pages %= 12;
			if (rng() % 5 == 0)
				map[i].attr = 0;
		}
		/* stack workspace, caller's workspace, too small: all alike */
		fw_report_init(&ra, fa, SMALL_FIND);
		fw_report_init(&rb, fb, SMALL_FIND);
		fw_report_init(&rc, fc, SMALL_FIND);
		mat_check_entries(e, n, 0, &ra);
		mat_check_memmap(e, n, map, map_n, &ra);
		mat_check_entries_ws(e, n, 0, work, MAT_WORK_WORDS(n), &rb);
		mat_check_memmap_ws(e, n, map, map_n, work, MAT_WORK_WORDS(n), &rb);
		/* one element short, allocated exactly: ASan sees any use */
		short_len = n ? MAT_WORK_WORDS(n) - 1 : 0;
		short_work = malloc(short_len ? short_len * sizeof(uint32_t) : 1);
		assert_non_null(short_work);
		mat_check_entries_ws(e, n, 0, short_work, short_len, &rc);
		mat_check_memmap_ws(e, n, map, map_n, short_work, short_len, &rc);
		free(short_work);
		expect_same_reports(&ra, &rb);
		expect_same_reports(&ra, &rc);

		nw = ref_x1(e, n, want);
		ng = rule_indices(&ra, "MAT-X1", got);
		if (nw != ng || memcmp(want, got, nw * sizeof(*want)))
			print_error("iteration %u: X1 %zu found, %zu expected\n",
				    iter, ng, nw);
		assert_int_equal(ng, nw);
		assert_memory_equal(got, want, nw * sizeof(*want));
		seen_x1 += nw;

		nw = ref_c2(e, n, map, map_n, want);
		ng = rule_indices(&ra, "MAT-C2", got);
		if (nw != ng || memcmp(want, got, nw * sizeof(*want)))
			print_error("iteration %u: C2 %zu found, %zu expected\n",
				    iter, ng, nw);
		assert_int_equal(ng, nw);
		assert_memory_equal(got, want, nw * sizeof(*want));
		seen_c2 += nw;
		for (i = 0; i < map_n; i++)
			seen_c2_ok += (map[i].attr & RT) != 0;
	}
	/* the tables exercised both outcomes of both rules */
	assert_true(seen_x1 > 1000);
	assert_true(seen_c2 > 100);
	assert_true(seen_c2_ok > seen_c2 + 100);
}

/* --- 65,536 entries -------------------------------------------------- */

#define BIG_N MAT_MAX_ENTRIES
#define WINDOW_PAGES (1u << 17)  /* entries start in 512 MiB */
#define BIG_MAP 64 /* map regions, at most 64 pages each */

/* Page-by-page reference for the big table, whose entries are page
 * aligned (or wrap): X1 against all earlier entries and C2 by a bitmap. */
struct page_ref {
	uint32_t *first_cover;     /* lowest index of a non-empty entry on the page */
	uint32_t *first_inner;     /* ... on the page, not starting there */
	uint32_t *first_empty;     /* lowest index of an empty entry at the page */
};

static void page_ref_fill(struct page_ref *p, const struct efi_md *e, size_t n)
{
	uint64_t end, pg, a;
	size_t i;

	for (pg = 0; pg < WINDOW_PAGES + 128; pg++)
		p->first_cover[pg] = p->first_inner[pg] = p->first_empty[pg] =
			UINT32_MAX;
	for (i = 0; i < n; i++) {
		if (!end_of(&e[i], &end))
			continue;
		a = e[i].phys / PAGE;
		if (!e[i].pages && p->first_empty[a] == UINT32_MAX)
			p->first_empty[a] = (uint32_t)i;
		for (pg = a; pg < end / PAGE; pg++) {
			if (p->first_cover[pg] == UINT32_MAX)
				p->first_cover[pg] = (uint32_t)i;
			if (pg > a && p->first_inner[pg] == UINT32_MAX)
				p->first_inner[pg] = (uint32_t)i;
		}
	}
}

/* Does an entry before i overlap entry i? (@pre the table is unsorted) */
static bool page_ref_x1(const struct page_ref *p, const struct efi_md *e,
			size_t i)
{
	uint64_t end, a, pg;

	if (!end_of(&e[i], &end))
		return false;
	a = e[i].phys / PAGE;
	if (!e[i].pages)   /* an empty entry overlaps one that strictly holds it */
		return p->first_inner[a] < i;
	for (pg = a; pg < end / PAGE; pg++)
		if (p->first_cover[pg] < i ||
		    (pg > a && p->first_empty[pg] < i))
			return true;
	return false;
}

static void make_big_table(uint8_t *raw, struct efi_md *e)
{
	uint64_t r, pages;
	size_t i, off;
	unsigned int b;

	memset(raw, 0, MAT_HDR_LEN + (size_t)BIG_N * 48);
	raw[0] = 1;                                  /* Version */
	raw[4] = (uint8_t)BIG_N;                     /* NumberOfEntries */
	raw[5] = (uint8_t)(BIG_N >> 8);
	raw[6] = (uint8_t)(BIG_N >> 16);
	raw[8] = 48;                                 /* DescriptorSize */
	for (i = 0; i < BIG_N; i++) {
		r = rng();
		pages = r % 16 == 0 ? 0 : 1 + (r >> 4) % 3;
		if (r % 4099 == 7)
			pages = 1ull << 52;                  /* wraps: never overlaps */
		e[i] = (struct efi_md){ EFI_RUNTIME_SERVICES_DATA,
					((r >> 8) % WINDOW_PAGES) * PAGE, 0, pages,
					RT | XP };
		off = MAT_HDR_LEN + i * 48;
		for (b = 0; b < 8; b++) {
			if (b < 4)
				raw[off + b] = (uint8_t)(e[i].type >> (8 * b));
			raw[off + 8 + b] = (uint8_t)(e[i].phys >> (8 * b));
			raw[off + 24 + b] = (uint8_t)(e[i].pages >> (8 * b));
			raw[off + 32 + b] = (uint8_t)(e[i].attr >> (8 * b));
		}
	}
}

static double seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_65536_unsorted(void **state)
{
	size_t raw_len = MAT_HDR_LEN + (size_t)BIG_N * 48, n = 0, i, k, nw, ng;
	size_t fcap = 4 * (size_t)BIG_N;
	uint8_t *raw = malloc(raw_len);
	struct efi_md *gen = malloc(BIG_N * sizeof(*gen));
	struct efi_md *e = malloc(BIG_N * sizeof(*e));
	struct fw_finding *items = malloc(fcap * sizeof(*items));
	uint32_t *work = malloc(MAT_WORK_WORDS(BIG_N) * sizeof(*work));
	int32_t *want = malloc(BIG_N * sizeof(*want));
	int32_t *got = malloc(BIG_N * sizeof(*got));
	bool *covered = calloc(WINDOW_PAGES + 128, sizeof(*covered));
	struct page_ref p = {
		malloc((WINDOW_PAGES + 128) * sizeof(uint32_t)),
		malloc((WINDOW_PAGES + 128) * sizeof(uint32_t)),
		malloc((WINDOW_PAGES + 128) * sizeof(uint32_t)),
	};
	struct efi_md map[BIG_MAP];
	struct fw_report r;
	struct mat_hdr h;
	uint64_t end, pg;
	double t0, dt;
	bool ok;

	(void)state;
	assert_true(raw && gen && e && items && work && want && got && covered &&
		    p.first_cover && p.first_inner && p.first_empty);
	rng_state = 0x243f6a8885a308d3ull;
	make_big_table(raw, gen);
	for (i = 0; i < BIG_MAP; i++) {              /* runtime regions */
		map[i] = (struct efi_md){ EFI_RUNTIME_SERVICES_DATA,
					  (rng() % WINDOW_PAGES) * PAGE, 0,
					  1 + rng() % (i < 32 ? 4 : 64), RT };
		if (i % 9 == 8)
			map[i].attr = 0;                     /* not runtime: skipped */
	}

	fw_report_init(&r, items, (uint32_t)fcap);
	assert_int_equal(mat_parse(raw, raw_len, 0, &h, e, BIG_N, &n, &r), 0);
	assert_int_equal(n, BIG_N);
	assert_memory_equal(e, gen, BIG_N * sizeof(*e));
	t0 = seconds();
	mat_check_entries_ws(e, n, 0, work, MAT_WORK_WORDS(n), &r);
	mat_check_memmap_ws(e, n, map, BIG_MAP, work, MAT_WORK_WORDS(n), &r);
	dt = seconds() - t0;
	print_message("65,536 unsorted entries, 64 map regions: X1..C2 in %.3f s\n",
		      dt);
	assert_int_equal(r.dropped, 0);
	assert_int_equal(fw_report_count_rule(&r, "MAT-X2") > 1000, 1);

	/* X1 against every earlier entry, page by page */
	page_ref_fill(&p, e, n);
	for (i = 0, nw = 0; i < n; i++)
		if (page_ref_x1(&p, e, i))
			want[nw++] = (int32_t)i;
	ng = rule_indices(&r, "MAT-X1", got);
	print_message("X1: %zu of %zu entries overlap an earlier one\n", ng, n);
	assert_int_equal(ng, nw);
	assert_memory_equal(got, want, nw * sizeof(*want));
	assert_true(nw > 1000 && nw < n - 1000);

	/* C2: every page of a runtime region is in some entry */
	for (i = 0; i < n; i++)
		if (e[i].pages && end_of(&e[i], &end))
			for (pg = e[i].phys / PAGE; pg < end / PAGE; pg++)
				covered[pg] = true;
	for (i = 0, nw = 0; i < BIG_MAP; i++) {
		if (!(map[i].attr & RT))
			continue;
		ok = true;
		for (k = 0; k < map[i].pages; k++)
			ok &= covered[map[i].phys / PAGE + k];
		if (!ok)
			want[nw++] = (int32_t)i;
	}
	ng = rule_indices(&r, "MAT-C2", got);
	print_message("C2: %zu of %d map regions not covered\n", ng, BIG_MAP);
	assert_int_equal(ng, nw);
	assert_memory_equal(got, want, nw * sizeof(*want));
	assert_true(nw > 0 && nw < BIG_MAP - BIG_MAP / 9 - 4);
	/* all pairs compared would take seconds here (over a minute under
	 * ASan); O(n log n) takes a fraction of one */
	assert_true(dt < 10.0);

	free(raw);
	free(gen);
	free(e);
	free(items);
	free(work);
	free(want);
	free(got);
	free(covered);
	free(p.first_cover);
	free(p.first_inner);
	free(p.first_empty);
}

/* --- lib/base/sort.h ------------------------------------------------- */

struct keyed {
	const uint16_t *key;
};

static bool key_less(uint32_t a, uint32_t b, const void *ctx)
{
	const struct keyed *k = ctx;

	return k->key[a] < k->key[b];
}

static void test_idx_sort(void **state)
{
	static uint16_t key[70000];
	static uint32_t idx[70000], tmp[70000];
	static const size_t sizes[] = { 0, 1, 2, 3, 5, 8, 17, 64, 65, 1000, 70000 };
	struct keyed k = { key };
	size_t s, n, i;

	(void)state;
	rng_state = 0x13198a2e03707344ull;
	for (s = 0; s < VBS_ARRAY_SIZE(sizes); s++) {
		n = sizes[s];
		for (i = 0; i < n; i++) {
			/* few distinct keys on odd sizes: stability matters */
			key[i] = (uint16_t)(n & 1 ? rng() % 7 : rng());
			idx[i] = (uint32_t)i;
		}
		vbs_idx_sort(idx, tmp, n, key_less, &k);
		for (i = 1; i < n; i++) {
			assert_true(key[idx[i - 1]] <= key[idx[i]]);
			if (key[idx[i - 1]] == key[idx[i]])
				assert_true(idx[i - 1] < idx[i]);  /* stable */
		}
		/* a permutation: every index once */
		memset(tmp, 0, n * sizeof(*tmp));
		for (i = 0; i < n; i++)
			assert_int_equal(tmp[idx[i]]++, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idx_sort),
		cmocka_unit_test(test_random_tables),
		cmocka_unit_test(test_65536_unsorted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
