/* SPDX-License-Identifier: MIT */
/*
 * Evidence sources: everything vbs-check learns about a platform goes
 * through this one small interface, so that the same checks run on
 *
 *   live    the running system (files, CPUID, /dev/cpu/N/msr, kernel log);
 *   record  the running system, writing everything read into a capture
 *           directory (--capture DIR);
 *   replay  a capture directory (--root DIR), nothing live at all.
 *
 * Every operation returns 0 or a negative errno. Replay returns the errno
 * the live run saw, so an unreadable file stays unreadable, with its reason.
 * The capture format is documented in docs/readiness.md ("Capture").
 */
#ifndef VBS_CHECK_EV_H
#define VBS_CHECK_EV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest file vbs-check reads (ACPI tables, sysfs attributes, cpuinfo). */
#define EV_FILE_MAX (4u << 20)
/* Largest raw Memory Attributes Table read through /dev/mem. */
#define EV_MAT_MAX (4u << 20)

struct ev_buf {
	uint8_t *data; /* malloc'd, NUL-terminated one past len */
	size_t len;
};

struct ev_list {
	char **names; /* sorted, malloc'd */
	size_t count;
};

struct ev_host {
	char kernel[128];  /* uname release */
	char machine[65];  /* uname machine */
	long euid;
};

struct ev;

struct ev_ops {
	int (*read_file)(struct ev *ev, const char *path, struct ev_buf *out);
	int (*read_link)(struct ev *ev, const char *path, char *out, size_t n);
	int (*list_dir)(struct ev *ev, const char *path, struct ev_list *out);
	int (*cpuid)(struct ev *ev, uint32_t leaf, uint32_t sub, uint32_t r[4]);
	int (*rdmsr)(struct ev *ev, unsigned cpu, uint32_t msr, uint64_t *val);
	int (*klog)(struct ev *ev, struct ev_buf *out);
	int (*host)(struct ev *ev, struct ev_host *out);
	/* Raw bytes of physical memory (only the MAT, only when asked). */
	int (*physmem)(struct ev *ev, uint64_t addr, size_t len,
		       struct ev_buf *out);
	/* Writes a file (efivarfs, --probe-morlock only; live only). */
	int (*write_file)(struct ev *ev, const char *path, const void *data,
			  size_t len);
	/*
	 * Facts that are not files (the --probe-morlock outcome): live keeps
	 * none, record writes them to vbs-capture/facts, replay reads them.
	 */
	int (*fact_put)(struct ev *ev, const char *key, const char *value);
	int (*fact_get)(struct ev *ev, const char *key, char *out, size_t n);
	void (*close)(struct ev *ev);
};

struct ev {
	const struct ev_ops *ops;
	void *priv;
};

/* Constructors; they return NULL with errno set on failure. */
struct ev *ev_live(void);
struct ev *ev_record(const char *dir);
struct ev *ev_replay(const char *dir);

static inline int ev_read(struct ev *ev, const char *path, struct ev_buf *o)
{
	return ev->ops->read_file(ev, path, o);
}
static inline int ev_readlink(struct ev *ev, const char *path, char *out,
			      size_t n)
{
	return ev->ops->read_link(ev, path, out, n);
}
static inline int ev_ls(struct ev *ev, const char *path, struct ev_list *o)
{
	return ev->ops->list_dir(ev, path, o);
}
static inline int ev_cpuid(struct ev *ev, uint32_t leaf, uint32_t sub,
			   uint32_t r[4])
{
	return ev->ops->cpuid(ev, leaf, sub, r);
}
static inline int ev_rdmsr(struct ev *ev, unsigned cpu, uint32_t msr,
			   uint64_t *val)
{
	return ev->ops->rdmsr(ev, cpu, msr, val);
}
void ev_close(struct ev *ev);
/*
 * For a recording source: flushes the capture and returns 0, or the first
 * error writing it (negative errno). 0 for other sources.
 */
int ev_capture_status(struct ev *ev);

void ev_buf_free(struct ev_buf *b);
void ev_list_free(struct ev_list *l);
/* Sorts and takes ownership of names (used by implementations and tests). */
void ev_list_sort(struct ev_list *l);

/* Reads a small text attribute, strips trailing whitespace. */
int ev_read_str(struct ev *ev, const char *path, char *out, size_t n);
/* Reads a text attribute holding one number (decimal or 0x-hex). */
int ev_read_u64(struct ev *ev, const char *path, uint64_t *out);

/* "errno-name: strerror" for a negative errno, e.g. "EACCES". */
const char *ev_errname(int neg_errno);

/* Kernel log line filter: the lines vbs-check uses (kept in captures). */
bool ev_klog_line_wanted(const char *line, size_t len);

#endif
