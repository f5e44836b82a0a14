// SPDX-License-Identifier: MIT
/*
 * Evidence sources: live, live+record (--capture DIR), replay (--root DIR).
 * See ev.h and docs/readiness.md "Capture directory".
 */
#include "ev.h"
#include "text.h"

#include <cpuid.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

/* ---- helpers shared by all sources ------------------------------------ */

void ev_buf_free(struct ev_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

void ev_list_free(struct ev_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->names[i]);
	free(l->names);
	l->names = NULL;
	l->count = 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void ev_list_sort(struct ev_list *l)
{
	if (l->count > 1)
		qsort(l->names, l->count, sizeof(*l->names), cmp_name);
}

static int list_add(struct ev_list *l, const char *name)
{
	char **n = realloc(l->names, (l->count + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	l->names = n;
	n[l->count] = strdup(name);
	if (!n[l->count])
		return -ENOMEM;
	l->count++;
	return 0;
}

void ev_close(struct ev *ev)
{
	if (ev)
		ev->ops->close(ev);
}

int ev_read_str(struct ev *ev, const char *path, char *out, size_t n)
{
	struct ev_buf b = { 0 };
	int rc = ev_read(ev, path, &b);

	if (rc)
		return rc;
	size_t len = b.len;
	while (len && (b.data[len - 1] == '\n' || b.data[len - 1] == ' ' ||
		       b.data[len - 1] == '\t' || b.data[len - 1] == '\0'))
		len--;
	if (len >= n)
		len = n - 1;
	memcpy(out, b.data, len);
	out[len] = '\0';
	ev_buf_free(&b);
	return 0;
}

int ev_read_u64(struct ev *ev, const char *path, uint64_t *out)
{
	char s[64];
	int rc = ev_read_str(ev, path, s, sizeof(s));

	if (rc)
		return rc;
	return text_parse_u64(s, out) ? 0 : -EINVAL;
}

const char *ev_errname(int neg_errno)
{
	return text_errno_name(neg_errno);
}

/* Reads all of fd, at most max bytes (-EFBIG beyond). */
static int read_fd(int fd, size_t max, struct ev_buf *out)
{
	size_t cap = 4096, len = 0;
	uint8_t *p = malloc(cap + 1);

	if (!p)
		return -ENOMEM;
	for (;;) {
		if (len == cap) {
			if (cap >= max) {
				free(p);
				return -EFBIG;
			}
			cap = cap * 2 > max ? max : cap * 2;
			uint8_t *q = realloc(p, cap + 1);
			if (!q) {
				free(p);
				return -ENOMEM;
			}
			p = q;
		}
		ssize_t n = read(fd, p + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = -errno;
			free(p);
			return e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	p[len] = '\0';
	out->data = p;
	out->len = len;
	return 0;
}

bool ev_klog_line_wanted(const char *line, size_t len)
{
	static const char *const keys[] = {
		"efi:", "memattr", "DMAR", "AMD-Vi", "IOMMU", "iommu",
		"SVM", "VMX", "disabled by BIOS", "tpm", "TPM",
		"Secure boot", "secureboot",
	};
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (memmem(line, len, keys[k], strlen(keys[k])))
			return true;
	return false;
}

/*
 * Normalises raw kernel log text into "message\n" lines holding only the
 * lines vbs-check uses: drops "<N>" priorities, "[ time]" stamps and /dev/kmsg
 * "pri,seq,ts,flags;" prefixes, so that captures hold no timestamps.
 */
static int klog_filter(const char *raw, size_t len, struct ev_buf *out)
{
	char *o = malloc(len + 1);
	size_t olen = 0;

	if (!o)
		return -ENOMEM;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(raw + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - raw) : len;
		size_t ll;
		const char *l = text_klog_strip(raw + i, end - i, &ll);

		if (ev_klog_line_wanted(l, ll)) {
			memcpy(o + olen, l, ll);
			olen += ll;
			o[olen++] = '\n';
		}
		i = end + 1;
	}
	o[olen] = '\0';
	out->data = (uint8_t *)o;
	out->len = olen;
	return 0;
}

/* ---- live ------------------------------------------------------------- */

static int live_read_file(struct ev *ev, const char *path, struct ev_buf *out)
{
	(void)ev;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int rc = read_fd(fd, EV_FILE_MAX, out);
	close(fd);
	return rc;
}

static int live_read_link(struct ev *ev, const char *path, char *out, size_t n)
{
	(void)ev;
	ssize_t r = readlink(path, out, n - 1);
	if (r < 0)
		return -errno;
	out[r] = '\0';
	return 0;
}

static int list_fd(int fd, struct ev_list *out)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;
	int rc = 0;

	if (!d) {
		rc = -errno;
		close(fd);
		return rc;
	}
	memset(out, 0, sizeof(*out));
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		rc = list_add(out, de->d_name);
		if (rc)
			break;
	}
	closedir(d);
	if (rc)
		ev_list_free(out);
	else
		ev_list_sort(out);
	return rc;
}

static int live_list_dir(struct ev *ev, const char *path, struct ev_list *out)
{
	(void)ev;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return list_fd(fd, out);
}

static int live_cpuid(struct ev *ev, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	(void)ev;
	/*
	 * Hypervisor leaves 0x40000000-0x4FFFFFFF (TLFS "Feature Discovery")
	 * exist when CPUID 1 ECX[31] says so; __get_cpuid_count() would test
	 * them against the basic maximum leaf, so ask the CPU directly.
	 */
	if ((leaf & 0xf0000000u) == 0x40000000u) {
		__cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
		return 0;
	}
	/* Leaves above the maximum reported by leaf 0 / 0x80000000 are absent. */
	if (!__get_cpuid_count(leaf, sub, &r[0], &r[1], &r[2], &r[3]))
		return -ENOENT;
	return 0;
}

static int live_rdmsr(struct ev *ev, unsigned cpu, uint32_t msr, uint64_t *val)
{
	(void)ev;
	char path[64];
	snprintf(path, sizeof(path), "/dev/cpu/%u/msr", cpu);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* msr(4): the file offset is the MSR index, 8 bytes per read. */
	ssize_t n = pread(fd, val, 8, msr);
	int rc = n == 8 ? 0 : n < 0 ? -errno : -EIO;
	close(fd);
	return rc;
}

static int live_klog(struct ev *ev, struct ev_buf *out)
{
	(void)ev;
	/* klogctl(2): 10 = SYSLOG_ACTION_SIZE_BUFFER, 3 = SYSLOG_ACTION_READ_ALL */
	int size = klogctl(10, NULL, 0);
	if (size > 0) {
		char *raw = malloc((size_t)size);
		if (!raw)
			return -ENOMEM;
		int n = klogctl(3, raw, size);
		if (n >= 0) {
			int rc = klog_filter(raw, (size_t)n, out);
			free(raw);
			return rc;
		}
		free(raw);
	}
	int klog_err = -errno;
	/* /dev/kmsg: one record per read(), EAGAIN at the end. */
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return klog_err ? klog_err : -errno;
	size_t cap = 1 << 16, len = 0;
	char *all = malloc(cap);
	char rec[8192];
	if (!all) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue; /* overwritten record: skip */
		if (n <= 0)
			break;
		if (len + (size_t)n + 1 > cap) {
			char *p = realloc(all, cap * 2);
			if (!p)
				break;
			all = p;
			cap *= 2;
		}
		memcpy(all + len, rec, (size_t)n);
		len += (size_t)n;
		if (all[len - 1] != '\n')
			all[len++] = '\n';
	}
	close(fd);
	int rc = klog_filter(all, len, out);
	free(all);
	return rc;
}

static int live_host(struct ev *ev, struct ev_host *h)
{
	(void)ev;
	struct utsname u;
	memset(h, 0, sizeof(*h));
	if (uname(&u) == 0) {
		snprintf(h->kernel, sizeof(h->kernel), "%s", u.release);
		snprintf(h->machine, sizeof(h->machine), "%s", u.machine);
	}
	h->euid = (long)geteuid();
	return 0;
}

static int live_physmem(struct ev *ev, uint64_t addr, size_t len,
			struct ev_buf *out)
{
	(void)ev;
	if (len > EV_MAT_MAX || addr > (uint64_t)INT64_MAX - len)
		return -EINVAL;
	int fd = open("/dev/mem", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	uint8_t *p = malloc(len + 1);
	if (!p) {
		close(fd);
		return -ENOMEM;
	}
	ssize_t n = pread(fd, p, len, (off_t)addr);
	int rc = n == (ssize_t)len ? 0 : n < 0 ? -errno : -EIO;
	close(fd);
	if (rc) {
		free(p);
		return rc;
	}
	p[len] = 0;
	out->data = p;
	out->len = len;
	return 0;
}

/*
 * efivarfs files are immutable (efivarfs.rst): clear FS_IMMUTABLE_FL, write
 * the whole variable (attributes + data) in one write(), restore the flag.
 */
static int live_write_file(struct ev *ev, const char *path, const void *data,
			   size_t len)
{
	(void)ev;
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int flags = 0, had = 0;
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && (flags & FS_IMMUTABLE_FL)) {
		had = 1;
		flags &= ~FS_IMMUTABLE_FL;
		ioctl(fd, FS_IOC_SETFLAGS, &flags);
	}
	ssize_t n = write(fd, data, len);
	int rc = n == (ssize_t)len ? 0 : n < 0 ? -errno : -EIO;
	if (had) {
		flags |= FS_IMMUTABLE_FL;
		ioctl(fd, FS_IOC_SETFLAGS, &flags);
	}
	close(fd);
	return rc;
}

static void live_close(struct ev *ev)
{
	free(ev);
}

static int live_fact_put(struct ev *ev, const char *key, const char *value)
{
	(void)ev, (void)key, (void)value;
	return 0;
}

static int live_fact_get(struct ev *ev, const char *key, char *out, size_t n)
{
	(void)ev, (void)key, (void)out, (void)n;
	return -ENOENT;
}

static const struct ev_ops live_ops = {
	.read_file = live_read_file,
	.read_link = live_read_link,
	.list_dir = live_list_dir,
	.cpuid = live_cpuid,
	.rdmsr = live_rdmsr,
	.klog = live_klog,
	.host = live_host,
	.physmem = live_physmem,
	.write_file = live_write_file,
	.fact_put = live_fact_put,
	.fact_get = live_fact_get,
	.close = live_close,
};

struct ev *ev_live(void)
{
	struct ev *ev = calloc(1, sizeof(*ev));
	if (ev)
		ev->ops = &live_ops;
	return ev;
}

/* ---- record ----------------------------------------------------------- */

struct rec {
	char dir[PATH_MAX];
	int werr;          /* first error writing the capture */
	FILE *cpuid, *msr, *errors, *listing, *facts;
};

static int mkdir_p(const char *path)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

static int rec_join(const struct rec *r, const char *path, char *out)
{
	if (snprintf(out, PATH_MAX, "%s%s", r->dir, path) >= PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * Mirrors the live path's components into the capture: directories become
 * directories, symlinks the same symlinks (and their targets are mirrored
 * too), so that DIR/<path> resolves inside DIR as <path> does live. The
 * last component is mirrored only if it is a directory or a symlink.
 */
static int rec_mirror(const struct rec *r, const char *path, int depth)
{
	char cur[PATH_MAX], dst[PATH_MAX];
	size_t len = strlen(path);

	if (depth > 8 || len >= PATH_MAX || path[0] != '/')
		return -ELOOP;
	for (size_t i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		memcpy(cur, path, i);
		cur[i] = '\0';
		struct stat st;
		if (lstat(cur, &st))
			return 0; /* nothing more to mirror */
		if (rec_join(r, cur, dst))
			return -ENAMETOOLONG;
		if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX], real[PATH_MAX];
			ssize_t n = readlink(cur, target, sizeof(target) - 1);
			if (n < 0)
				return -errno;
			target[n] = '\0';
			if (symlink(target, dst) && errno != EEXIST)
				return -errno;
			if (realpath(cur, real))
				rec_mirror(r, real, depth + 1);
		} else if (S_ISDIR(st.st_mode)) {
			if (mkdir(dst, 0755) && errno != EEXIST)
				return -errno;
		}
	}
	return 0;
}

/* errors lines: "<op>:<path>\t<ERRNO>", op = read, link or list */
static void rec_error(struct rec *r, const char *op, const char *what, int err)
{
	fprintf(r->errors, "%s%s\t%s\n", op, what, ev_errname(err));
}

static int write_whole_(const char *path, const void *data, size_t len);

/* Writes a capture file; the first failure is kept for ev_capture_status. */
static void rec_write(struct rec *r, const char *path, const void *data,
		      size_t len)
{
	int rc = write_whole_(path, data, len);
	if (rc && !r->werr) {
		r->werr = rc;
		fprintf(stderr, "vbs-check: capture: %s: %s\n", path,
			strerror(-rc));
	}
}

static int write_whole_(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, data, len);
	int rc = n == (ssize_t)len ? 0 : -EIO;
	close(fd);
	return rc;
}

static int rec_read_file(struct ev *ev, const char *path, struct ev_buf *out)
{
	struct rec *r = ev->priv;
	int rc = live_read_file(ev, path, out);
	char real[PATH_MAX], dst[PATH_MAX];

	if (rc) {
		rec_error(r, "read:", path, rc);
		return rc;
	}
	rec_mirror(r, path, 0);
	if (realpath(path, real) && !rec_join(r, real, dst))
		rec_write(r, dst, out->data, out->len);
	return 0;
}

static int rec_read_link(struct ev *ev, const char *path, char *out, size_t n)
{
	struct rec *r = ev->priv;
	int rc = live_read_link(ev, path, out, n);

	if (rc)
		rec_error(r, "link:", path, rc);
	else
		rec_mirror(r, path, 0);
	return rc;
}

static int rec_list_dir(struct ev *ev, const char *path, struct ev_list *out)
{
	struct rec *r = ev->priv;
	int rc = live_list_dir(ev, path, out);

	if (rc) {
		rec_error(r, "list:", path, rc);
		return rc;
	}
	rec_mirror(r, path, 0);
	fprintf(r->listing, "%s\t\n", path);
	for (size_t i = 0; i < out->count; i++)
		fprintf(r->listing, "%s\t%s\n", path, out->names[i]);
	return 0;
}

static int rec_cpuid(struct ev *ev, uint32_t leaf, uint32_t sub, uint32_t v[4])
{
	struct rec *r = ev->priv;
	int rc = live_cpuid(ev, leaf, sub, v);

	if (rc)
		fprintf(r->cpuid, "%08x %08x !%s\n", leaf, sub, ev_errname(rc));
	else
		fprintf(r->cpuid, "%08x %08x %08x %08x %08x %08x\n", leaf, sub,
			v[0], v[1], v[2], v[3]);
	return rc;
}

static int rec_rdmsr(struct ev *ev, unsigned cpu, uint32_t msr, uint64_t *val)
{
	struct rec *r = ev->priv;
	int rc = live_rdmsr(ev, cpu, msr, val);

	if (rc)
		fprintf(r->msr, "%u %08x !%s\n", cpu, msr, ev_errname(rc));
	else
		fprintf(r->msr, "%u %08x %016llx\n", cpu, msr,
			(unsigned long long)*val);
	return rc;
}

static int rec_klog(struct ev *ev, struct ev_buf *out)
{
	struct rec *r = ev->priv;
	char dst[PATH_MAX];
	int rc = live_klog(ev, out);

	if (rc) {
		rec_error(r, "", "@klog", rc);
		return rc;
	}
	if (!rec_join(r, "/vbs-capture/kmsg", dst))
		rec_write(r, dst, out->data, out->len);
	return 0;
}

static int rec_host(struct ev *ev, struct ev_host *h)
{
	struct rec *r = ev->priv;
	char dst[PATH_MAX];
	live_host(ev, h);
	if (rec_join(r, "/vbs-capture/host", dst))
		return 0;
	FILE *f = fopen(dst, "w");
	if (f) {
		fprintf(f, "kernel=%s\nmachine=%s\neuid=%ld\n", h->kernel,
			h->machine, h->euid);
		fclose(f);
	}
	return 0;
}

static int rec_physmem(struct ev *ev, uint64_t addr, size_t len,
		       struct ev_buf *out)
{
	struct rec *r = ev->priv;
	char dst[PATH_MAX];
	int rc = live_physmem(ev, addr, len, out);

	if (rc) {
		rec_error(r, "", "@physmem", rc);
		return rc;
	}
	if (!rec_join(r, "/efi", dst) && !mkdir_p(dst) &&
	    !rec_join(r, "/efi/mat.bin", dst))
		rec_write(r, dst, out->data, out->len);
	return 0;
}

static int rec_fact_put(struct ev *ev, const char *key, const char *value)
{
	struct rec *r = ev->priv;
	fprintf(r->facts, "%s\t%s\n", key, value);
	return 0;
}

int ev_capture_status(struct ev *ev);

static void rec_close(struct ev *ev)
{
	struct rec *r = ev->priv;
	FILE *files[] = { r->facts, r->cpuid, r->msr, r->errors, r->listing };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (files[i])
			fclose(files[i]);
	free(r);
	free(ev);
}

/* Flushes the capture's metadata files; 0 or the first write error. */
int ev_capture_status(struct ev *ev)
{
	if (ev->ops->close != rec_close)
		return 0;
	struct rec *r = ev->priv;
	FILE **files[] = { &r->facts, &r->cpuid, &r->msr, &r->errors,
			   &r->listing };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (!*files[i])
			continue;
		bool bad = ferror(*files[i]);
		if (fclose(*files[i]) || bad)
			r->werr = r->werr ? r->werr : -EIO;
		*files[i] = NULL;
	}
	return r->werr;
}

static const struct ev_ops rec_ops = {
	.read_file = rec_read_file,
	.read_link = rec_read_link,
	.list_dir = rec_list_dir,
	.cpuid = rec_cpuid,
	.rdmsr = rec_rdmsr,
	.klog = rec_klog,
	.host = rec_host,
	.physmem = rec_physmem,
	.write_file = live_write_file,
	.fact_put = rec_fact_put,
	.fact_get = live_fact_get,
	.close = rec_close,
};

static FILE *rec_open(const struct rec *r, const char *name)
{
	char p[PATH_MAX];
	if (snprintf(p, sizeof(p), "%s/vbs-capture/%s", r->dir, name) >=
	    (int)sizeof(p))
		return NULL;
	return fopen(p, "w");
}

struct ev *ev_record(const char *dir)
{
	struct ev *ev = calloc(1, sizeof(*ev));
	struct rec *r = calloc(1, sizeof(*r));
	char meta[PATH_MAX];

	if (!ev || !r)
		goto fail;
	DIR *d = opendir(dir);
	if (d) {
		/* a capture is only what this run read: no stale files */
		struct dirent *de;
		int n = 0;
		while ((de = readdir(d)))
			n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
		closedir(d);
		if (n) {
			errno = ENOTEMPTY;
			goto fail;
		}
	}
	if (!realpath(dir, r->dir) && (mkdir_p(dir) || !realpath(dir, r->dir)))
		goto fail;
	if (snprintf(meta, sizeof(meta), "%s/vbs-capture", r->dir) >=
	    (int)sizeof(meta) || mkdir_p(meta))
		goto fail;
	r->cpuid = rec_open(r, "cpuid");
	r->msr = rec_open(r, "msr");
	r->errors = rec_open(r, "errors");
	r->listing = rec_open(r, "listing");
	r->facts = rec_open(r, "facts");
	FILE *fmt = rec_open(r, "format");
	if (!r->cpuid || !r->msr || !r->errors || !r->listing || !r->facts ||
	    !fmt)
		goto fail;
	fprintf(fmt, "vbs-capture/1\n");
	fclose(fmt);
	ev->ops = &rec_ops;
	ev->priv = r;
	return ev;
fail:
	if (r) {
		if (r->cpuid) fclose(r->cpuid);
		if (r->msr) fclose(r->msr);
		if (r->errors) fclose(r->errors);
		if (r->listing) fclose(r->listing);
		if (r->facts) fclose(r->facts);
	}
	free(r);
	free(ev);
	if (!errno)
		errno = EINVAL;
	return NULL;
}

/* ---- replay ----------------------------------------------------------- */

struct rep {
	int rootfd;
	struct text_kv errors;  /* path -> errno name */
	struct text_kv listing; /* dir -> entry (dir -> "" marks a listed dir) */
	struct text_kv facts;
	struct text_cpuid cpuid;
	struct text_msr msr;
};

/* Opens path inside the capture: absolute symlinks and ".." stay inside. */
static int rep_open(const struct rep *r, const char *path, int flags)
{
	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, r->rootfd, path, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)
		fd = openat(r->rootfd, path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : (int)fd;
}

static int rep_recorded_error(const struct rep *r, const char *op,
			      const char *what)
{
	char key[4200];
	snprintf(key, sizeof(key), "%s%s", op, what);
	const char *e = text_kv_get(&r->errors, key, 0);
	return e ? text_errno_from_name(e) : 0;
}

static int rep_read_file(struct ev *ev, const char *path, struct ev_buf *out)
{
	struct rep *r = ev->priv;
	int rc = rep_recorded_error(r, "read:", path);
	if (rc)
		return rc;
	int fd = rep_open(r, path, O_RDONLY);
	if (fd < 0)
		return fd;
	rc = read_fd(fd, EV_FILE_MAX, out);
	close(fd);
	return rc;
}

static int rep_read_link(struct ev *ev, const char *path, char *out, size_t n)
{
	struct rep *r = ev->priv;
	int rc = rep_recorded_error(r, "link:", path);
	if (rc)
		return rc;
	int fd = rep_open(r, path, O_PATH | O_NOFOLLOW);
	if (fd < 0)
		return fd;
	ssize_t len = readlinkat(fd, "", out, n - 1);
	rc = len < 0 ? -errno : 0;
	close(fd);
	if (rc)
		return rc == -ENOENT ? -EINVAL : rc; /* not a symlink */
	out[len] = '\0';
	return 0;
}

static int rep_list_dir(struct ev *ev, const char *path, struct ev_list *out)
{
	struct rep *r = ev->priv;
	int rc = rep_recorded_error(r, "list:", path);
	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	if (text_kv_get(&r->listing, path, 0)) {
		const char *name;
		for (size_t i = 1; (name = text_kv_get(&r->listing, path, i)); i++)
			if (*name && (rc = list_add(out, name))) {
				ev_list_free(out);
				return rc;
			}
		ev_list_sort(out);
		/* a directory listed twice during the run: drop repeats */
		size_t w = 0;
		for (size_t i = 0; i < out->count; i++) {
			if (w && !strcmp(out->names[w - 1], out->names[i])) {
				free(out->names[i]);
				continue;
			}
			out->names[w++] = out->names[i];
		}
		out->count = w;
		return 0;
	}
	int fd = rep_open(r, path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd;
	return list_fd(fd, out);
}

static int rep_cpuid(struct ev *ev, uint32_t leaf, uint32_t sub, uint32_t v[4])
{
	struct rep *r = ev->priv;
	return text_cpuid_get(&r->cpuid, leaf, sub, v);
}

static int rep_rdmsr(struct ev *ev, unsigned cpu, uint32_t msr, uint64_t *val)
{
	struct rep *r = ev->priv;
	return text_msr_get(&r->msr, cpu, msr, val);
}

static int rep_klog(struct ev *ev, struct ev_buf *out)
{
	struct rep *r = ev->priv;
	int rc = rep_recorded_error(r, "", "@klog");
	if (rc)
		return rc;
	return rep_read_file(ev, "/vbs-capture/kmsg", out);
}

static int rep_host(struct ev *ev, struct ev_host *h)
{
	struct ev_buf b = { 0 };
	memset(h, 0, sizeof(*h));
	h->euid = -1;
	if (rep_read_file(ev, "/vbs-capture/host", &b))
		return 0;
	text_parse_host((const char *)b.data, b.len, h->kernel,
			sizeof(h->kernel), h->machine, sizeof(h->machine),
			&h->euid);
	ev_buf_free(&b);
	return 0;
}

static int rep_physmem(struct ev *ev, uint64_t addr, size_t len,
		       struct ev_buf *out)
{
	struct rep *r = ev->priv;
	(void)addr;
	int rc = rep_recorded_error(r, "", "@physmem");
	if (rc)
		return rc;
	rc = rep_read_file(ev, "/efi/mat.bin", out);
	if (rc)
		return rc;
	if (out->len < len) {
		ev_buf_free(out);
		return -EIO;
	}
	out->len = len;
	return 0;
}

static int rep_fact_put(struct ev *ev, const char *key, const char *value)
{
	(void)ev, (void)key, (void)value;
	return -EROFS;
}

static int rep_fact_get(struct ev *ev, const char *key, char *out, size_t n)
{
	struct rep *r = ev->priv;
	const char *v = text_kv_get(&r->facts, key, 0);
	if (!v)
		return -ENOENT;
	snprintf(out, n, "%s", v);
	return 0;
}

static int rep_write_file(struct ev *ev, const char *path, const void *data,
			  size_t len)
{
	(void)ev, (void)path, (void)data, (void)len;
	return -EROFS;
}

static void rep_close(struct ev *ev)
{
	struct rep *r = ev->priv;
	close(r->rootfd);
	text_kv_free(&r->errors);
	text_kv_free(&r->listing);
	text_kv_free(&r->facts);
	text_cpuid_free(&r->cpuid);
	text_msr_free(&r->msr);
	free(r);
	free(ev);
}

static const struct ev_ops rep_ops = {
	.read_file = rep_read_file,
	.read_link = rep_read_link,
	.list_dir = rep_list_dir,
	.cpuid = rep_cpuid,
	.rdmsr = rep_rdmsr,
	.klog = rep_klog,
	.host = rep_host,
	.physmem = rep_physmem,
	.write_file = rep_write_file,
	.fact_put = rep_fact_put,
	.fact_get = rep_fact_get,
	.close = rep_close,
};

/* Loads one capture metadata file; a missing file is an empty one. */
static int rep_meta(struct ev *ev, const char *name, struct ev_buf *b)
{
	char p[64];
	snprintf(p, sizeof(p), "/vbs-capture/%s", name);
	struct rep *r = ev->priv;
	int fd = rep_open(r, p, O_RDONLY);
	if (fd == -ENOENT) {
		b->data = (uint8_t *)strdup("");
		b->len = 0;
		return b->data ? 0 : -ENOMEM;
	}
	if (fd < 0)
		return fd;
	int rc = read_fd(fd, EV_FILE_MAX, b);
	close(fd);
	return rc;
}

struct ev *ev_replay(const char *dir)
{
	struct ev *ev = calloc(1, sizeof(*ev));
	struct rep *r = calloc(1, sizeof(*r));
	struct ev_buf b = { 0 };
	int rc = -ENOMEM;

	if (!ev || !r)
		goto fail;
	ev->ops = &rep_ops;
	ev->priv = r;
	r->rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->rootfd < 0) {
		rc = -errno;
		goto fail;
	}
	if ((rc = rep_meta(ev, "errors", &b)) ||
	    (rc = text_kv_parse((const char *)b.data, b.len, &r->errors)))
		goto fail_fd;
	ev_buf_free(&b);
	if ((rc = rep_meta(ev, "listing", &b)) ||
	    (rc = text_kv_parse((const char *)b.data, b.len, &r->listing)))
		goto fail_fd;
	ev_buf_free(&b);
	if ((rc = rep_meta(ev, "facts", &b)) ||
	    (rc = text_kv_parse((const char *)b.data, b.len, &r->facts)))
		goto fail_fd;
	ev_buf_free(&b);
	if ((rc = rep_meta(ev, "cpuid", &b)) ||
	    (rc = text_cpuid_parse((const char *)b.data, b.len, &r->cpuid)))
		goto fail_fd;
	ev_buf_free(&b);
	if ((rc = rep_meta(ev, "msr", &b)) ||
	    (rc = text_msr_parse((const char *)b.data, b.len, &r->msr)))
		goto fail_fd;
	ev_buf_free(&b);
	return ev;
fail_fd:
	ev_buf_free(&b);
	text_kv_free(&r->errors);
	text_kv_free(&r->listing);
	text_kv_free(&r->facts);
	text_cpuid_free(&r->cpuid);
	close(r->rootfd);
fail:
	free(r);
	free(ev);
	errno = -rc;
	return NULL;
}
