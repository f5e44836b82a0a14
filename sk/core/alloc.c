// SPDX-License-Identifier: MIT
/*
 * First-fit allocator over an implicit block list (docs/secure-kernel.md
 * "Allocator"). Each block starts with a 16-byte header: size (header
 * included, multiple of 16), a magic word and a state. Blocks tile the
 * region exactly, so walking by size from the start visits every block;
 * sk_free() walks to the pointer's block, which is how it tells a double
 * free (the pointer lies in free memory) from a wild pointer (inside a
 * used block but not at its start) or one outside the region.
 * A freed block is zeroed, header of a merged neighbour included: the
 * invariant "free memory is zero" is checked by sk_heap_check().
 */
#include "core/alloc.h"
#include "core/scrub.h"

#define HDR_SIZE 16u
#define BLOCK_MAGIC 0x4b4c4253u /* "SBLK" */
#define STATE_FREE 0x46u
#define STATE_USED 0x55u

struct block {
	uint64_t size;
	uint32_t magic;
	uint32_t state;
};
_Static_assert(sizeof(struct block) == HDR_SIZE, "block header");

static struct block *block_at(const struct sk_heap *h, size_t off)
{
	return (struct block *)(void *)(h->base + off);
}

static int block_sane(const struct sk_heap *h, size_t off)
{
	const struct block *b = block_at(h, off);

	return b->magic == BLOCK_MAGIC && b->size >= HDR_SIZE &&
	       b->size % SK_ALLOC_ALIGN == 0 && b->size <= h->size - off &&
	       (b->state == STATE_FREE || b->state == STATE_USED);
}

static void block_set(struct block *b, uint64_t size, uint32_t state)
{
	b->size = size;
	b->magic = BLOCK_MAGIC;
	b->state = state;
}

int sk_heap_init(struct sk_heap *h, void *region, size_t size)
{
	uintptr_t start = (uintptr_t)region, end;

	if (!region || size > UINTPTR_MAX - start)
		return SK_ALLOC_E_ARG;
	end = (start + size) & ~(uintptr_t)(SK_ALLOC_ALIGN - 1);
	start = (start + SK_ALLOC_ALIGN - 1) & ~(uintptr_t)(SK_ALLOC_ALIGN - 1);
	if (end <= start || end - start < 2 * HDR_SIZE)
		return SK_ALLOC_E_ARG;
	h->base = (uint8_t *)start;
	h->size = end - start;
	h->used = 0;
	h->blocks_used = 0;
	h->errors = 0;
	sk_scrub(h->base, h->size);
	block_set(block_at(h, 0), h->size, STATE_FREE);
	return SK_ALLOC_OK;
}

void *sk_alloc(struct sk_heap *h, size_t n)
{
	size_t off = 0, need;
	struct block *b;

	if (n == 0 || n > h->size - HDR_SIZE)
		return NULL;
	need = HDR_SIZE + ((n + SK_ALLOC_ALIGN - 1) & ~(size_t)(SK_ALLOC_ALIGN - 1));
	for (; off < h->size; off += b->size) {
		if (!block_sane(h, off))
			return NULL;
		b = block_at(h, off);
		if (b->state != STATE_FREE || b->size < need)
			continue;
		if (b->size - need >= 2 * HDR_SIZE) {
			/* Split: the tail stays free (its bytes are zero). */
			block_set(block_at(h, off + need), b->size - need, STATE_FREE);
			b->size = need;
		}
		b->state = STATE_USED;
		h->used += b->size;
		h->blocks_used++;
		return h->base + off + HDR_SIZE;
	}
	return NULL;
}

/* Merges the free block at off with the free block after it. */
static void merge_next(struct sk_heap *h, size_t off)
{
	struct block *b = block_at(h, off), *next;
	size_t noff = off + b->size;

	if (noff >= h->size || !block_sane(h, noff))
		return;
	next = block_at(h, noff);
	if (next->state != STATE_FREE)
		return;
	b->size += next->size;
	sk_scrub(next, HDR_SIZE);
}

/*
 * Walks to the used block that starts at target; *prev = the block before
 * it (SIZE_MAX if none). A target inside a free block is a double free:
 * the block it was freed into may since have merged with a neighbour, so
 * "inside free memory" is the test, not "at a free block's start".
 */
static int find_block(const struct sk_heap *h, size_t target, size_t *prev)
{
	const struct block *b;
	size_t off;

	*prev = SIZE_MAX;
	for (off = 0; off < h->size; off += b->size) {
		if (!block_sane(h, off))
			return SK_ALLOC_E_CORRUPT;
		b = block_at(h, off);
		if (target < off + b->size) {
			if (b->state == STATE_FREE)
				return SK_ALLOC_E_DOUBLE;
			return off == target ? SK_ALLOC_OK : SK_ALLOC_E_NOTBLOCK;
		}
		*prev = off;
	}
	return SK_ALLOC_E_NOTBLOCK;
}

int sk_free(struct sk_heap *h, void *p)
{
	uintptr_t addr = (uintptr_t)p, base = (uintptr_t)h->base;
	size_t target, off, prev;
	struct block *b;
	int rc;

	if (addr < base + HDR_SIZE || addr - base >= h->size) {
		h->errors++;
		return SK_ALLOC_E_OUTSIDE;
	}
	target = addr - base - HDR_SIZE;
	rc = find_block(h, target, &prev);
	if (rc != SK_ALLOC_OK) {
		h->errors++;
		return rc;
	}
	off = target;
	b = block_at(h, off);
	h->used -= b->size;
	h->blocks_used--;
	sk_scrub(h->base + off + HDR_SIZE, b->size - HDR_SIZE);
	b->state = STATE_FREE;
	merge_next(h, off);
	if (prev != SIZE_MAX && block_at(h, prev)->state == STATE_FREE)
		merge_next(h, prev);
	return SK_ALLOC_OK;
}

size_t sk_heap_largest(const struct sk_heap *h)
{
	size_t off = 0, best = 0;
	const struct block *b;

	for (; off < h->size; off += b->size) {
		if (!block_sane(h, off))
			return 0;
		b = block_at(h, off);
		if (b->state == STATE_FREE && b->size - HDR_SIZE > best)
			best = b->size - HDR_SIZE;
	}
	return best;
}

static int all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

int sk_heap_check(const struct sk_heap *h)
{
	size_t off = 0, used = 0;
	const struct block *b;

	for (; off < h->size; off += b->size) {
		if (!block_sane(h, off))
			return SK_ALLOC_E_CORRUPT;
		b = block_at(h, off);
		if (b->state == STATE_USED)
			used += b->size;
		else if (!all_zero(h->base + off + HDR_SIZE, b->size - HDR_SIZE))
			return SK_ALLOC_E_CORRUPT;
	}
	return off == h->size && used == h->used ? SK_ALLOC_OK : SK_ALLOC_E_CORRUPT;
}
