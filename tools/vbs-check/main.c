// SPDX-License-Identifier: MIT
/*
 * vbs-check: can this platform run virtualization-based security?
 * Requirements R1-R10 of docs/readiness.md, from a live Linux system, or
 * from a capture directory (--root), optionally recording one (--capture).
 */
#include "checks.h"
#include "out.h"

#include "vbs/version.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EX_USAGE 64
#define EX_SOFTWARE 70

static void usage(FILE *o)
{
	fprintf(o,
"usage: vbs-check [options]\n"
"Checks the platform requirements of virtualization-based security (R1-R10).\n"
"\n"
"  --profile minimum|oem  requirement set (default oem: R1-R7, R10;\n"
"                         minimum: R1, R2, R10; R9 whenever in a guest)\n"
"  --require-dma          with minimum: require R3 (IOMMU) too\n"
"  --strict               exit 3 when a required check warns\n"
"  --json                 JSON report (schema vbs-check/1)\n"
"  -q, --quiet            print only checks that did not pass\n"
"  --capture DIR          also write all evidence read into DIR\n"
"  --root DIR             judge a capture directory instead of this system\n"
"  --devmem-mat           read the raw EFI Memory Attributes Table from\n"
"                         /dev/mem (root; often refused by the kernel)\n"
"  --probe-morlock        probe the MOR lock revision by writing to it\n"
"                         (root; only when the lock reads 0x00)\n"
"  -h, --help             this text\n"
"  --version              print the version\n"
"\n"
"Exit: 0 ready, 1 a required check failed, 2 a required check is unknown,\n"
"3 warnings with --strict, 64 usage error, 70 internal error.\n");
}

enum { OPT_PROFILE = 256, OPT_REQUIRE_DMA, OPT_STRICT, OPT_JSON, OPT_CAPTURE,
       OPT_ROOT, OPT_DEVMEM, OPT_PROBE, OPT_VERSION };

static const struct option longopts[] = {
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "require-dma", no_argument, NULL, OPT_REQUIRE_DMA },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "quiet", no_argument, NULL, 'q' },
	{ "capture", required_argument, NULL, OPT_CAPTURE },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "devmem-mat", no_argument, NULL, OPT_DEVMEM },
	{ "probe-morlock", no_argument, NULL, OPT_PROBE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

struct args {
	struct vc_opts opt;
	bool json, quiet;
	const char *capture, *root;
};

/* Returns -1 to continue, else the exit code. */
static int parse_args(int argc, char **argv, struct args *a)
{
	int ch;
	a->opt.profile = VC_PROFILE_OEM;
	while ((ch = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_PROFILE:
			if (!strcmp(optarg, "oem"))
				a->opt.profile = VC_PROFILE_OEM;
			else if (!strcmp(optarg, "minimum"))
				a->opt.profile = VC_PROFILE_MINIMUM;
			else {
				fprintf(stderr, "vbs-check: unknown profile "
					"'%s' (minimum or oem)\n", optarg);
				return EX_USAGE;
			}
			break;
		case OPT_REQUIRE_DMA: a->opt.require_dma = true; break;
		case OPT_STRICT: a->opt.strict = true; break;
		case OPT_JSON: a->json = true; break;
		case 'q': a->quiet = true; break;
		case OPT_CAPTURE: a->capture = optarg; break;
		case OPT_ROOT: a->root = optarg; break;
		case OPT_DEVMEM: a->opt.devmem_mat = true; break;
		case OPT_PROBE: a->opt.probe_morlock = true; break;
		case 'h': usage(stdout); return 0;
		case OPT_VERSION:
			printf("vbs-check %s\n", VBS_VERSION_STRING);
			return 0;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vbs-check: unexpected argument '%s'\n",
			argv[optind]);
		return EX_USAGE;
	}
	if (a->capture && a->root) {
		fprintf(stderr, "vbs-check: --capture and --root exclude each other\n");
		return EX_USAGE;
	}
	if (a->root && (a->opt.probe_morlock || a->opt.devmem_mat)) {
		fprintf(stderr, "vbs-check: --root reads a capture: "
			"--probe-morlock and --devmem-mat need a live system\n");
		return EX_USAGE;
	}
	if (a->opt.probe_morlock && geteuid() != 0) {
		fprintf(stderr, "vbs-check: --probe-morlock writes EFI variables: "
			"run as root\n");
		return EX_USAGE;
	}
	a->opt.replay = a->root != NULL;
	return -1;
}

int main(int argc, char **argv)
{
	struct args a = { 0 };
	struct vc_ctx ctx = { 0 };
	static struct vc_check checks[16];
	int rc = parse_args(argc, argv, &a);

	if (rc >= 0)
		return rc;
	ctx.opt = a.opt;
	ctx.ev = a.root ? ev_replay(a.root) : a.capture ? ev_record(a.capture)
							 : ev_live();
	if (!ctx.ev) {
		fprintf(stderr, "vbs-check: %s: %s\n",
			a.root ? a.root : a.capture ? a.capture : "evidence",
			strerror(errno));
		return a.root || errno == ENOTEMPTY ? EX_USAGE : EX_SOFTWARE;
	}
	if (vc_run(&ctx, checks)) {
		fprintf(stderr, "vbs-check: out of memory\n");
		ev_close(ctx.ev);
		return EX_SOFTWARE;
	}
	rc = vc_exit_code(checks, vc_checks_count, a.opt.strict);
	if (a.json) {
		if (vc_print_json(stdout, &ctx, checks, vc_checks_count, rc)) {
			fprintf(stderr, "vbs-check: cannot write JSON\n");
			rc = EX_SOFTWARE;
		}
	} else {
		vc_print_text(stdout, ctx.loader, checks, vc_checks_count,
			      isatty(STDOUT_FILENO), a.quiet);
	}
	vc_ctx_free(&ctx);
	if (ev_capture_status(ctx.ev)) {
		fprintf(stderr, "vbs-check: the capture in %s is incomplete\n",
			a.capture);
		rc = EX_SOFTWARE;
	}
	ev_close(ctx.ev);
	if (fflush(stdout))
		return EX_SOFTWARE;
	return rc;
}
