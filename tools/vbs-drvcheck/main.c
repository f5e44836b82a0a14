// SPDX-License-Identifier: MIT
/*
 * vbs-drvcheck: static memory-integrity (HVCI) compatibility check of
 * Linux kernel modules and Windows drivers (docs/drvcheck.md).
 *
 *   vbs-drvcheck [--json] [--quiet] [--cert FILE]... PATH...
 *
 * PATH is a file (judged by its magic) or a directory (every *.ko and
 * *.sys below it). Exit: 0 clean, 1 findings (warn/unknown/fail),
 * 2 a file unreadable or invalid, 64 usage.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze.h"
#include "sigverify.h"

#define EXIT_CLEAN 0
#define EXIT_FINDINGS 1
#define EXIT_INVALID 2
#define EXIT_USAGE 64
#define MAX_FILE_SIZE (512ul << 20)

static struct {
	int json;
	int quiet;
	size_t files, with_findings, invalid, fail, warn;
	json_object *jfiles;
	struct drv_certs *certs;   /* --cert: verify module signatures */
} g;

static const char *read_file(const char *path, uint8_t **buf, size_t *len)
{
	struct stat st;
	size_t done = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return strerror(errno);
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (unsigned long)st.st_size > MAX_FILE_SIZE) {
		close(fd);
		return S_ISREG(st.st_mode) ? "file too large" : "not a regular file";
	}
	*len = (size_t)st.st_size;
	*buf = malloc(*len ? *len : 1);
	if (!*buf) {
		close(fd);
		return "out of memory";
	}
	while (done < *len) {
		ssize_t n = read(fd, *buf + done, *len - done);

		if (n <= 0) {
			close(fd);
			free(*buf);
			return n ? strerror(errno) : "file shrank while reading";
		}
		done += (size_t)n;
	}
	close(fd);
	return NULL;
}

static void count(const struct drv_result *res)
{
	size_t i, flagged = 0;

	for (i = 0; i < res->count; i++) {
		if (res->findings[i].severity == DRV_FAIL)
			g.fail++;
		if (res->findings[i].severity == DRV_WARN ||
		    res->findings[i].severity == DRV_UNKNOWN)
			g.warn++;
		if (res->findings[i].severity != DRV_NOTE)
			flagged = 1;
	}
	g.with_findings += flagged;
}

static void emit_text(const char *path, const struct drv_result *res,
		      const char *error)
{
	size_t i;

	if (error) {
		printf("%s: error: %s\n", path, error);
		return;
	}
	for (i = 0; i < res->count; i++)
		printf("%s: %s %s %s\n", path,
		       drv_severity_name(res->findings[i].severity),
		       res->findings[i].id, res->findings[i].detail);
	if (res->dropped)
		printf("%s: note DRV-DROPPED %zu further findings not shown\n",
		       path, res->dropped);
	if (!res->count && !g.quiet)
		printf("%s: ok (%s)\n", path, drv_format_name(res->format));
}

static void emit_json(const char *path, const struct drv_result *res,
		      const char *error)
{
	json_object *o = json_object_new_object();
	json_object *arr = json_object_new_array();
	size_t i;

	json_object_object_add(o, "path", json_object_new_string(path));
	json_object_object_add(o, "format",
			       json_object_new_string(drv_format_name(res->format)));
	json_object_object_add(o, "error",
			       error ? json_object_new_string(error) : NULL);
	for (i = 0; i < res->count; i++) {
		json_object *f = json_object_new_object();

		json_object_object_add(f, "id",
				       json_object_new_string(res->findings[i].id));
		json_object_object_add(f, "severity", json_object_new_string(
			drv_severity_name(res->findings[i].severity)));
		json_object_object_add(f, "detail",
				       json_object_new_string(res->findings[i].detail));
		json_object_array_add(arr, f);
	}
	json_object_object_add(o, "findings", arr);
	json_object_object_add(o, "dropped", json_object_new_int64((int64_t)res->dropped));
	json_object_array_add(g.jfiles, o);
}

static void scan_file(const char *path)
{
	static struct drv_result res;
	const char *error;
	uint8_t *buf = NULL;
	size_t len = 0;

	memset(&res, 0, sizeof(res));
	g.files++;
	error = read_file(path, &buf, &len);
	if (!error && drv_analyze(buf, len, &res))
		error = res.error;
	if (!error)
		drv_sig_verify(g.certs, buf, &res);
	free(buf);
	if (error)
		g.invalid++;
	else
		count(&res);
	if (g.json)
		emit_json(path, &res, error);
	else
		emit_text(path, &res, error);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int walk_entry(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_F && (ends_with(path, ".ko") || ends_with(path, ".sys")))
		scan_file(path);
	else if (type == FTW_DNR) {
		g.files++;
		g.invalid++;
		fprintf(stderr, "%s: error: directory not readable\n", path);
	}
	return 0;
}

static void scan_path(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		nftw(path, walk_entry, 32, FTW_PHYS);
	else
		scan_file(path);
}

static void summary(void)
{
	if (g.json) {
		json_object *root = json_object_new_object();
		json_object *s = json_object_new_object();

		json_object_object_add(s, "files", json_object_new_int64((int64_t)g.files));
		json_object_object_add(s, "with_findings", json_object_new_int64((int64_t)g.with_findings));
		json_object_object_add(s, "invalid", json_object_new_int64((int64_t)g.invalid));
		json_object_object_add(s, "fail", json_object_new_int64((int64_t)g.fail));
		json_object_object_add(s, "warn", json_object_new_int64((int64_t)g.warn));
		json_object_object_add(root, "files", g.jfiles);
		json_object_object_add(root, "summary", s);
		puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							   JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(root);
		return;
	}
	printf("summary: %zu files, %zu with findings, %zu invalid, %zu fail, %zu warn\n",
	       g.files, g.with_findings, g.invalid, g.fail, g.warn);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: vbs-drvcheck [--json] [--quiet] [--cert FILE]... PATH...\n"
		   "  static memory-integrity check of kernel modules (.ko) and\n"
		   "  Windows drivers (.sys); directories are scanned for both.\n"
		   "  --cert FILE  verify module signatures against these X.509\n"
		   "               certificates (PEM or DER; repeatable)\n"
		   "exit: 0 clean, 1 findings, 2 unreadable or invalid input, 64 usage\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "cert", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	int c, i;

	while ((c = getopt_long(argc, argv, "jqhc:", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			g.json = 1;
			break;
		case 'q':
			g.quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return EXIT_CLEAN;
		case 'c':
			if (drv_certs_add(&g.certs, optarg)) {
				fprintf(stderr, "vbs-drvcheck: %s: no X.509 certificate readable\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (g.json)
		g.jfiles = json_object_new_array();
	for (i = optind; i < argc; i++)
		scan_path(argv[i]);
	summary();
	drv_certs_free(g.certs);
	if (g.invalid)
		return EXIT_INVALID;
	return g.with_findings ? EXIT_FINDINGS : EXIT_CLEAN;
}
