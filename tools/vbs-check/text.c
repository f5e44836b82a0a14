// SPDX-License-Identifier: MIT
/* Parsers of untrusted text for vbs-check (see text.h). */
#include "text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parses hex digits at s[*i..n) into *out; at least one, no overflow. */
static bool scan_hex(const char *s, size_t n, size_t *i, uint64_t *out)
{
	uint64_t v = 0;
	size_t start = *i;

	while (*i < n && hexval(s[*i]) >= 0) {
		if (v >> 60)
			return false;
		v = v << 4 | (uint64_t)hexval(s[*i]);
		(*i)++;
	}
	*out = v;
	return *i > start;
}

static bool scan_dec(const char *s, size_t n, size_t *i, uint64_t *out)
{
	uint64_t v = 0;
	size_t start = *i;

	while (*i < n && s[*i] >= '0' && s[*i] <= '9') {
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(s[*i] - '0'), &v))
			return false;
		(*i)++;
	}
	*out = v;
	return *i > start;
}

bool text_parse_u64(const char *s, uint64_t *out)
{
	size_t n = strlen(s), i = 0;
	bool ok;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		i = 2;
		ok = scan_hex(s, n, &i, out);
	} else {
		ok = scan_dec(s, n, &i, out);
	}
	return ok && i == n;
}

const char *text_klog_strip(const char *l, size_t len, size_t *out_len)
{
	size_t i = 0;

	/* /dev/kmsg: "pri,seq,usec,flags[,...];message" */
	if (len && l[0] >= '0' && l[0] <= '9') {
		size_t j = 0;
		while (j < len && l[j] != ';' && l[j] != ' ')
			j++;
		if (j < len && l[j] == ';' && memchr(l, ',', j))
			i = j + 1;
	}
	/* klogctl: "<6>" */
	if (i == 0 && len >= 3 && l[0] == '<') {
		size_t j = 1;
		while (j < len && j < 5 && l[j] >= '0' && l[j] <= '9')
			j++;
		if (j > 1 && j < len && l[j] == '>')
			i = j + 1;
	}
	/* printk time: "[    0.123456] " */
	if (i < len && l[i] == '[') {
		size_t j = i + 1;
		while (j < len && (l[j] == ' ' || l[j] == '.' ||
				   (l[j] >= '0' && l[j] <= '9')))
			j++;
		if (j < len && l[j] == ']') {
			i = j + 1;
			if (i < len && l[i] == ' ')
				i++;
		}
	}
	while (len > i && (l[len - 1] == '\r' || l[len - 1] == '\n'))
		len--;
	*out_len = len - i;
	return l + i;
}

/* Linux drivers/firmware/efi/efi.c memory_type_name[] (UEFI 2.10 Table 7.6). */
static const char *const efi_type_names[] = {
	"Reserved", "Loader Code", "Loader Data", "Boot Code", "Boot Data",
	"Runtime Code", "Runtime Data", "Conventional", "Unusable",
	"ACPI Reclaim", "ACPI Mem NVS", "MMIO", "MMIO Port", "PAL Code",
	"Persistent", "Unaccepted",
};

int text_efi_type_from_name(const char *name, size_t len)
{
	while (len && name[len - 1] == ' ')
		len--;
	for (size_t t = 0; t < sizeof(efi_type_names) / sizeof(*efi_type_names);
	     t++)
		if (strlen(efi_type_names[t]) == len &&
		    memcmp(efi_type_names[t], name, len) == 0)
			return (int)t;
	return -1;
}

/* efi_md_typeattr_format() attribute tokens. */
static const struct {
	const char *tok;
	uint64_t bit;
} attr_tokens[] = {
	{ "RUN", EFI_MEMORY_RUNTIME }, { "HP", EFI_MEMORY_HOT_PLUGGABLE },
	{ "MR", EFI_MEMORY_MORE_RELIABLE }, { "CC", EFI_MEMORY_CPU_CRYPTO },
	{ "SP", EFI_MEMORY_SP }, { "NV", EFI_MEMORY_NV },
	{ "XP", EFI_MEMORY_XP }, { "RP", EFI_MEMORY_RP },
	{ "WP", EFI_MEMORY_WP }, { "RO", EFI_MEMORY_RO },
	{ "UCE", EFI_MEMORY_UCE }, { "WB", EFI_MEMORY_WB },
	{ "WT", EFI_MEMORY_WT }, { "WC", EFI_MEMORY_WC },
	{ "UC", EFI_MEMORY_UC },
};

static bool starts(const char *s, size_t n, const char *prefix)
{
	size_t p = strlen(prefix);
	return n >= p && memcmp(s, prefix, p) == 0;
}

/* One "|TOKEN" field (already split), trimmed; empty is allowed. */
static bool attr_token(const char *t, size_t n, uint64_t *attr)
{
	while (n && t[0] == ' ')
		t++, n--;
	while (n && t[n - 1] == ' ')
		n--;
	if (n == 0)
		return true;
	if (starts(t, n, "attr=0x")) {
		size_t i = 7;
		uint64_t v;
		if (!scan_hex(t, n, &i, &v) || i != n)
			return false;
		*attr |= v;
		return true;
	}
	for (size_t k = 0; k < sizeof(attr_tokens) / sizeof(*attr_tokens); k++)
		if (strlen(attr_tokens[k].tok) == n &&
		    memcmp(attr_tokens[k].tok, t, n) == 0) {
			*attr |= attr_tokens[k].bit;
			return true;
		}
	return false;
}

/* "[<type name padded>|tok|tok...]" or "[type=N|...]" from s[i..n). */
static bool parse_typeattr(const char *s, size_t n, size_t i,
			   struct memattr_line *o)
{
	if (i >= n || s[i] != '[' || s[n - 1] != ']')
		return false;
	i++;
	n--; /* drop ']' */
	const char *bar = memchr(s + i, '|', n - i);
	size_t tend = bar ? (size_t)(bar - s) : n;
	if (starts(s + i, tend - i, "type=")) {
		size_t j = i + 5;
		uint64_t t;
		if (!scan_dec(s, tend, &j, &t) || j != tend || t > 0xffffffffu)
			return false;
		o->type = (uint32_t)t;
	} else {
		int t = text_efi_type_from_name(s + i, tend - i);
		if (t < 0)
			return false;
		o->type = (uint32_t)t;
	}
	o->attr = 0;
	i = tend;
	while (i < n) { /* s[i] == '|' */
		size_t j = i + 1;
		while (j < n && s[j] != '|')
			j++;
		if (!attr_token(s + i + 1, j - i - 1, &o->attr))
			return false;
		i = j;
	}
	return true;
}

static const char *const memattr_reasons[] = {
	"Entry type should be RuntimeServiceCode/Data",
	"Entry attributes invalid: RO and XP bits both cleared",
	"Entry address region misaligned",
	"Entry covers multiple EFI memory map regions",
	"Entry type deviates from EFI memory map region type",
	"No matching entry found in the EFI memory map",
};

enum memattr_kind text_memattr_parse(const char *s, size_t n,
				     struct memattr_line *o)
{
	static const char prefix[] = "efi: memattr: ";
	size_t i = sizeof(prefix) - 1;

	memset(o, 0, sizeof(*o));
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	if (!starts(s, n, prefix))
		return o->kind = MEMATTR_OTHER;
	if (starts(s + i, n - i, "Processing EFI Memory Attributes table:"))
		return o->kind = MEMATTR_HEADER;
	for (size_t k = 0; k < sizeof(memattr_reasons) / sizeof(*memattr_reasons);
	     k++)
		if (starts(s + i, n - i, memattr_reasons[k])) {
			o->reason = memattr_reasons[k];
			return o->kind = MEMATTR_REASON;
		}
	/* pr_info("%s 0x%012llx-0x%012llx %s\n", valid ? "" : "!", ...) */
	if (i < n && s[i] == '!') {
		o->invalid = true;
		i++;
	}
	if (i >= n || s[i] != ' ')
		return o->kind = MEMATTR_OTHER;
	while (i < n && s[i] == ' ')
		i++;
	if (!starts(s + i, n - i, "0x"))
		return o->kind = MEMATTR_OTHER;
	uint64_t start, end, size;
	i += 2;
	if (!scan_hex(s, n, &i, &start) || !starts(s + i, n - i, "-0x"))
		return o->kind = MEMATTR_MALFORMED;
	i += 3;
	if (!scan_hex(s, n, &i, &end) || i >= n || s[i] != ' ')
		return o->kind = MEMATTR_MALFORMED;
	i++;
	/* end = start + (pages << 12) - 1, so size is a whole number of pages */
	if (end < start || __builtin_add_overflow(end - start, 1, &size) ||
	    (size & 0xfff))
		return o->kind = MEMATTR_MALFORMED;
	o->start = start;
	o->pages = size >> 12;
	if (!parse_typeattr(s, n, i, o))
		return o->kind = MEMATTR_MALFORMED;
	return o->kind = MEMATTR_ENTRY;
}

bool text_efi_memattr_addr(const char *s, size_t n, uint64_t *addr)
{
	static const char key[] = "MEMATTR=0x";
	if (!starts(s, n, "efi: "))
		return false;
	for (size_t i = 4; i + sizeof(key) - 1 <= n; i++) {
		if ((s[i - 1] != ' ') ||
		    memcmp(s + i, key, sizeof(key) - 1) != 0)
			continue;
		size_t j = i + sizeof(key) - 1;
		if (!scan_hex(s, n, &j, addr))
			return false;
		return j == n || s[j] == ' ';
	}
	return false;
}

/* ---- capture files ---------------------------------------------------- */

static const struct {
	int err;
	const char *name;
} errnames[] = {
	{ EPERM, "EPERM" },   { ENOENT, "ENOENT" }, { EIO, "EIO" },
	{ ENXIO, "ENXIO" },   { EACCES, "EACCES" }, { EBUSY, "EBUSY" },
	{ ENODEV, "ENODEV" }, { ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" },
	{ EINVAL, "EINVAL" }, { EFBIG, "EFBIG" },   { ENOSYS, "ENOSYS" },
	{ ELOOP, "ELOOP" },   { ENOMEM, "ENOMEM" }, { EOPNOTSUPP, "EOPNOTSUPP" },
	{ ENAMETOOLONG, "ENAMETOOLONG" }, { EROFS, "EROFS" },
	{ ENODATA, "ENODATA" }, { EFAULT, "EFAULT" }, { EXDEV, "EXDEV" },
};

int text_errno_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(errnames) / sizeof(*errnames); i++)
		if (strcmp(errnames[i].name, name) == 0)
			return -errnames[i].err;
	return -EIO;
}

const char *text_errno_name(int neg_errno)
{
	for (size_t i = 0; i < sizeof(errnames) / sizeof(*errnames); i++)
		if (errnames[i].err == -neg_errno)
			return errnames[i].name;
	return "EIO";
}

/* Calls fn for each line (without '\n'); stops on a negative return. */
static int each_line(const char *s, size_t len,
		     int (*fn)(const char *l, size_t n, void *ctx), void *ctx)
{
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) : len;
		int rc = fn(s + i, end - i, ctx);
		if (rc < 0)
			return rc;
		i = end + 1;
	}
	return 0;
}

static int kv_line(const char *l, size_t n, void *ctx)
{
	struct text_kv *kv = ctx;
	const char *tab = memchr(l, '\t', n);
	if (!tab || n == 0)
		return 0; /* not a record: ignored */
	char **k = realloc(kv->keys, (kv->count + 1) * sizeof(*k));
	if (!k)
		return -ENOMEM;
	kv->keys = k;
	char **v = realloc(kv->vals, (kv->count + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	kv->vals = v;
	k[kv->count] = strndup(l, (size_t)(tab - l));
	v[kv->count] = strndup(tab + 1, n - (size_t)(tab - l) - 1);
	if (!k[kv->count] || !v[kv->count]) {
		free(k[kv->count]);
		free(v[kv->count]);
		return -ENOMEM;
	}
	kv->count++;
	return 0;
}

int text_kv_parse(const char *s, size_t len, struct text_kv *out)
{
	memset(out, 0, sizeof(*out));
	int rc = each_line(s, len, kv_line, out);
	if (rc)
		text_kv_free(out);
	return rc;
}

const char *text_kv_get(const struct text_kv *kv, const char *key, size_t idx)
{
	for (size_t i = 0; i < kv->count; i++)
		if (strcmp(kv->keys[i], key) == 0 && idx-- == 0)
			return kv->vals[i];
	return NULL;
}

void text_kv_free(struct text_kv *kv)
{
	for (size_t i = 0; i < kv->count; i++) {
		free(kv->keys[i]);
		free(kv->vals[i]);
	}
	free(kv->keys);
	free(kv->vals);
	memset(kv, 0, sizeof(*kv));
}

/* Splits a line into up to max space-separated words. */
static int words(const char *l, size_t n, const char **w, size_t *wl, int max)
{
	int c = 0;
	for (size_t i = 0; i < n;) {
		while (i < n && is_space(l[i]))
			i++;
		if (i >= n)
			break;
		if (c == max)
			return -1;
		w[c] = l + i;
		while (i < n && !is_space(l[i]))
			i++;
		wl[c] = (size_t)(l + i - w[c]);
		c++;
	}
	return c;
}

static bool word_hex(const char *w, size_t n, uint64_t max, uint64_t *out)
{
	size_t i = 0;
	if (n > 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X'))
		i = 2;
	return scan_hex(w, n, &i, out) && i == n && *out <= max;
}

/* "!ENAME" -> negative errno. */
static bool word_err(const char *w, size_t n, int *err)
{
	char name[24];
	if (n < 2 || w[0] != '!' || n - 1 >= sizeof(name))
		return false;
	memcpy(name, w + 1, n - 1);
	name[n - 1] = '\0';
	*err = text_errno_from_name(name);
	return true;
}

static int cpuid_line(const char *l, size_t n, void *ctx)
{
	struct text_cpuid *c = ctx;
	const char *w[6];
	size_t wl[6];
	uint64_t v[6];
	struct text_cpuid_rec rec = { 0 };
	int nw = words(l, n, w, wl, 6);

	if (nw == 0 || (nw > 0 && w[0][0] == '#'))
		return 0;
	if (nw != 6 && nw != 3)
		return -EINVAL;
	for (int k = 0; k < 2; k++)
		if (!word_hex(w[k], wl[k], 0xffffffffu, &v[k]))
			return -EINVAL;
	rec.leaf = (uint32_t)v[0];
	rec.sub = (uint32_t)v[1];
	if (nw == 3) {
		if (!word_err(w[2], wl[2], &rec.err))
			return -EINVAL;
	} else {
		for (int k = 2; k < 6; k++) {
			if (!word_hex(w[k], wl[k], 0xffffffffu, &v[k]))
				return -EINVAL;
			rec.r[k - 2] = (uint32_t)v[k];
		}
	}
	struct text_cpuid_rec *p = realloc(c->recs, (c->count + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	c->recs = p;
	p[c->count++] = rec;
	return 0;
}

int text_cpuid_parse(const char *s, size_t len, struct text_cpuid *out)
{
	memset(out, 0, sizeof(*out));
	int rc = each_line(s, len, cpuid_line, out);
	if (rc)
		text_cpuid_free(out);
	return rc;
}

int text_cpuid_get(const struct text_cpuid *c, uint32_t leaf, uint32_t sub,
		   uint32_t r[4])
{
	for (size_t i = 0; i < c->count; i++) {
		const struct text_cpuid_rec *x = &c->recs[i];
		if (x->leaf != leaf || x->sub != sub)
			continue;
		if (x->err)
			return x->err;
		memcpy(r, x->r, sizeof(x->r));
		return 0;
	}
	return -ENOENT;
}

void text_cpuid_free(struct text_cpuid *c)
{
	free(c->recs);
	memset(c, 0, sizeof(*c));
}

static int msr_line(const char *l, size_t n, void *ctx)
{
	struct text_msr *m = ctx;
	const char *w[3];
	size_t wl[3];
	uint64_t cpu, msr, val = 0;
	size_t i = 0;
	struct text_msr_rec rec = { 0 };
	int nw = words(l, n, w, wl, 3);

	if (nw == 0 || w[0][0] == '#')
		return 0;
	if (nw != 3 || !scan_dec(w[0], wl[0], &i, &cpu) || i != wl[0] ||
	    cpu > 65535 || !word_hex(w[1], wl[1], 0xffffffffu, &msr))
		return -EINVAL;
	if (!word_err(w[2], wl[2], &rec.err) &&
	    !word_hex(w[2], wl[2], UINT64_MAX, &val))
		return -EINVAL;
	rec.cpu = (uint32_t)cpu;
	rec.msr = (uint32_t)msr;
	rec.val = val;
	struct text_msr_rec *p = realloc(m->recs, (m->count + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	m->recs = p;
	p[m->count++] = rec;
	return 0;
}

int text_msr_parse(const char *s, size_t len, struct text_msr *out)
{
	memset(out, 0, sizeof(*out));
	int rc = each_line(s, len, msr_line, out);
	if (rc)
		text_msr_free(out);
	return rc;
}

int text_msr_get(const struct text_msr *m, unsigned cpu, uint32_t msr,
		 uint64_t *val)
{
	for (size_t i = 0; i < m->count; i++) {
		const struct text_msr_rec *x = &m->recs[i];
		if (x->cpu != cpu || x->msr != msr)
			continue;
		if (x->err)
			return x->err;
		*val = x->val;
		return 0;
	}
	return -ENOENT;
}

void text_msr_free(struct text_msr *m)
{
	free(m->recs);
	memset(m, 0, sizeof(*m));
}

struct host_ctx {
	char *kernel, *machine;
	size_t kn, mn;
	long *euid;
};

static void copy_val(char *dst, size_t dn, const char *v, size_t n)
{
	if (n >= dn)
		n = dn - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static int host_line(const char *l, size_t n, void *ctx)
{
	struct host_ctx *h = ctx;
	if (starts(l, n, "kernel=")) {
		copy_val(h->kernel, h->kn, l + 7, n - 7);
	} else if (starts(l, n, "machine=")) {
		copy_val(h->machine, h->mn, l + 8, n - 8);
	} else if (starts(l, n, "euid=")) {
		uint64_t v;
		size_t i = 5;
		if (scan_dec(l, n, &i, &v) && i == n && v <= 0x7fffffff)
			*h->euid = (long)v;
	}
	return 0;
}

void text_parse_host(const char *s, size_t len, char *kernel, size_t kn,
		     char *machine, size_t mn, long *euid)
{
	struct host_ctx h = { kernel, machine, kn, mn, euid };
	each_line(s, len, host_line, &h);
}

int text_cpulist(const char *s, unsigned *cpus, int cap)
{
	size_t n = strlen(s), i = 0;
	int count = 0;

	while (n && is_space(s[n - 1]))
		n--;
	while (i < n) {
		uint64_t a, b;
		if (!scan_dec(s, n, &i, &a) || a > 65535)
			return -1;
		b = a;
		if (i < n && s[i] == '-') {
			i++;
			if (!scan_dec(s, n, &i, &b) || b < a || b > 65535)
				return -1;
		}
		for (uint64_t c = a; c <= b; c++) {
			if (count == cap)
				return -1;
			if (count && cpus[count - 1] >= c)
				return -1; /* must ascend */
			cpus[count++] = (unsigned)c;
		}
		if (i < n && s[i] != ',')
			return -1;
		if (i < n)
			i++;
	}
	return count;
}

bool text_has_word(const char *s, const char *word)
{
	size_t wl = strlen(word);
	for (const char *p = s; (p = strstr(p, word)); p++) {
		bool left = p == s || is_space(p[-1]) || p[-1] == ':';
		bool right = p[wl] == '\0' || is_space(p[wl]);
		if (left && right)
			return true;
	}
	return false;
}
