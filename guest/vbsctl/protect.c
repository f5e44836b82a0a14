// SPDX-License-Identifier: MIT
/*
 * vbsctl protect (docs/vbsctl.md "protect"): VTL0 gives up rights on its
 * own memory, for good (include/vbs/sk_abi.h VBS_SK_SVC_PROTECT).
 *
 *   set GPA PAGES --mask M [--policy P] [--label TEXT]
 *       M: what VTL0 keeps: none, r, rw, rx, rwx; P: deny (default),
 *       audit, tripwire
 *   list                    every protected range, its violations so far
 */
#include <stdlib.h>
#include <string.h>

#include "vbsctl.h"
#include "vbs/sk_abi.h"

static int protect_usage(void)
{
	fprintf(stderr,
		"usage: vbsctl protect set GPA PAGES --mask none|r|rw|rx|rwx "
		"[--policy deny|audit|tripwire] [--label TEXT] [--json]\n"
		"       vbsctl protect list [--json]\n");
	return VBSCTL_E_USAGE;
}

static int set_parse(const struct vbsctl_opts *o,
		     struct vbs_sk_protect_range *r)
{
	const char *why = NULL;

	memset(r, 0, sizeof(*r));
	r->policy = VBS_SK_PROTECT_DENY;
	if (o->npos != 2)
		why = "GPA and PAGES needed";
	else if (parse_u64(o->pos[0], &r->gpa) || (r->gpa & 0xfff))
		why = "GPA: a page-aligned address";
	else if (parse_u64(o->pos[1], &r->pages) || !r->pages ||
		 r->pages > VBS_SK_PROTECT_MAX_PAGES)
		why = "PAGES: 1..65536";
	else if (!o->mask || prot_mask_parse(o->mask, &r->mask))
		why = "--mask none|r|rw|rx|rwx needed";
	else if (o->policy && prot_policy_parse(o->policy, &r->policy))
		why = "--policy: deny, audit or tripwire";
	else if (o->label && strlen(o->label) >= sizeof(r->label))
		why = "--label: at most 31 characters";
	if (why) {
		fprintf(stderr, "vbsctl protect set: %s\n", why);
		return -1;
	}
	if (o->label)
		memcpy(r->label, o->label, strlen(o->label));
	return 0;
}

static int run_set(const struct vbsctl_opts *o)
{
	struct vbs_sk_protect_range r;
	struct sk_call c = { .service = VBS_SK_SVC_PROTECT,
			     .op = VBS_SK_PROTECT_SET };
	int rc;

	if (set_parse(o, &r))
		return protect_usage();
	c.in = &r;
	c.in_len = sizeof(r);
	rc = sk_call(&c, "protect set", false);
	if (rc != VBSCTL_OK)
		return rc;
	if (o->json)
		printf("{\"gpa\": %llu, \"pages\": %llu, \"mask\": \"%s\", "
		       "\"policy\": \"%s\"}\n", (unsigned long long)r.gpa,
		       (unsigned long long)r.pages, prot_mask_name(r.mask),
		       prot_policy_name(r.policy));
	else
		printf("protected %#llx + %llu pages: VTL0 keeps %s, "
		       "violations: %s\n", (unsigned long long)r.gpa,
		       (unsigned long long)r.pages, prot_mask_name(r.mask),
		       prot_policy_name(r.policy));
	return VBSCTL_OK;
}

static const char *state_name(uint32_t state)
{
	return state == VBS_SK_PROTECT_ST_ACTIVE ? "active" :
	       state == VBS_SK_PROTECT_ST_PARTIAL ? "partial" : "?";
}

static void range_print(const struct vbs_sk_protect_range *r, bool json,
			bool first)
{
	size_t ll = field_len(r->label, sizeof(r->label));

	if (!json) {
		printf("%#-14llx %-6llu %-5s %-9s %-8s %-10llu ",
		       (unsigned long long)r->gpa, (unsigned long long)r->pages,
		       prot_mask_name(r->mask), prot_policy_name(r->policy),
		       state_name(r->state), (unsigned long long)r->violations);
		text_field(stdout, r->label, ll);
		putchar('\n');
		return;
	}
	printf("%s{\"gpa\": %llu, \"pages\": %llu, \"mask\": \"%s\", "
	       "\"policy\": \"%s\", \"state\": \"%s\", \"violations\": %llu, "
	       "\"label\": ", first ? "" : ", ", (unsigned long long)r->gpa,
	       (unsigned long long)r->pages, prot_mask_name(r->mask),
	       prot_policy_name(r->policy), state_name(r->state),
	       (unsigned long long)r->violations);
	json_str(stdout, r->label, ll);
	putchar('}');
}

static int run_list(const struct vbsctl_opts *o)
{
	struct vbs_sk_protect_range r;
	uint8_t *out;
	uint32_t i, n;
	int rc;

	rc = sk_call_list(VBS_SK_SVC_PROTECT, VBS_SK_PROTECT_LIST, sizeof(r),
			  "protect list", &out, &n);
	if (rc != VBSCTL_OK)
		return rc;
	if (o->json)
		printf("{\"count\": %u, \"ranges\": [", n);
	else if (n == 0)
		printf("no protected ranges\n");
	else
		printf("%-14s %-6s %-5s %-9s %-8s %-10s %s\n", "GPA", "PAGES",
		       "MASK", "POLICY", "STATE", "VIOLATIONS", "LABEL");
	for (i = 0; i < n; i++) {
		memcpy(&r, out + (size_t)i * sizeof(r), sizeof(r));
		range_print(&r, o->json, i == 0);
	}
	if (o->json)
		printf("]}\n");
	free(out);
	return VBSCTL_OK;
}

int cmd_protect(int argc, char **argv)
{
	struct vbsctl_opts o;
	bool set = argc >= 2 && strcmp(argv[1], "set") == 0;
	char err[128];

	if (argc < 2 || (!set && strcmp(argv[1], "list") != 0))
		return protect_usage();
	if (opts_parse(argc, argv, 2,
		       OPT_JSON | (set ? OPT_MASK | OPT_POLICY | OPT_LABEL : 0),
		       set ? 2 : 0, &o, err, sizeof(err)) != 0) {
		fprintf(stderr, "vbsctl protect %s: %s\n", argv[1], err);
		return protect_usage();
	}
	return set ? run_set(&o) : run_list(&o);
}
