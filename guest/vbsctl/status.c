// SPDX-License-Identifier: MIT
/*
 * vbsctl status [--json]: the VBS state in the spirit of Win32_DeviceGuard
 * (VirtualizationBasedSecurityStatus, AvailableSecurityProperties,
 * RequiredSecurityProperties, SecurityServicesRunning), from CPUID (the
 * hypervisor) and the secure kernel's status service (VBS_SK_SVC_STATUS,
 * include/vbs/sk_abi.h). Works without /dev/vbs and without VTL1: it then
 * says why the secure kernel is not running and exits 1.
 */
#include <errno.h>
#include <string.h>

#include "vbs/sk_abi.h"
#include "vbsctl.h"

/* VirtualizationBasedSecurityStatus. */
enum vbs_state {
	VBS_STATE_OFF = 0,          /* no OpenVBS hypervisor */
	VBS_STATE_ENABLED = 1,      /* hypervisor, no secure kernel */
	VBS_STATE_RUNNING = 2,      /* the secure kernel answers */
};

static const char *const vbs_state_text[] = {
	[VBS_STATE_OFF] = "off",
	[VBS_STATE_ENABLED] = "enabled, not running",
	[VBS_STATE_RUNNING] = "running",
};

struct vbs_status {
	struct hv_info hv;
	enum vbs_state state;
	bool driver;                   /* /dev/vbs opened */
	struct vbs_sk_status_info si;  /* valid when state is RUNNING */
	char reason[192];              /* why not running */
	int rc;                        /* exit code */
};

static void status_read(struct vbs_status *st)
{
	struct sk_call c = {
		.service = VBS_SK_SVC_STATUS, .op = VBS_SK_STATUS_GET,
		.out = &st->si, .out_cap = sizeof(st->si),
	};

	memset(st, 0, sizeof(*st));
	hv_read(&st->hv);
	if (!st->hv.present) {
		st->state = VBS_STATE_OFF;
		snprintf(st->reason, sizeof(st->reason), "no OpenVBS hypervisor");
		st->rc = VBSCTL_E_NOTRUNNING;
		return;
	}
	st->state = VBS_STATE_ENABLED;
	c.out = &st->si;
	st->rc = sk_call(&c, "status", true);
	st->driver = st->rc != VBSCTL_E_DRIVER;
	if (st->rc == VBSCTL_OK && c.out_len < sizeof(st->si))
		st->rc = VBSCTL_E_IO;
	if (st->rc == VBSCTL_OK) {
		st->state = VBS_STATE_RUNNING;
		return;
	}
	sk_call_reason(&c, st->rc, st->reason, sizeof(st->reason));
	/* Absent driver or VTL1: a state, not an error (exit 1). */
	if (st->rc == VBSCTL_E_DRIVER && c.sys_errno != EACCES &&
	    c.sys_errno != EPERM)
		st->rc = VBSCTL_E_NOTRUNNING;
}

static void version_text(FILE *f, uint32_t v)
{
	fprintf(f, "%u.%u.%u", v >> 16, (v >> 8) & 0xff, v & 0xff);
}

static void props_line(const char *name, uint32_t mask)
{
	printf("%s: ", name);
	if (mask)
		props_write(stdout, mask, ", ", false);
	else
		fputs("none", stdout);
	putchar('\n');
}

/* vbs_sk_status_info.entropy_sources: VBS_SK_ENTROPY_* names. */
static const struct {
	uint32_t bit;
	const char *name;
} entropy_names[] = {
	{ VBS_SK_ENTROPY_TPM, "tpm" },
	{ VBS_SK_ENTROPY_RDSEED, "rdseed" },
	{ VBS_SK_ENTROPY_RDRAND, "rdrand" },
};

/* Names of the bits set in mask, sep between them, quoted for JSON;
 * unknown bits as 0xNN. */
static void entropy_write(uint32_t mask, const char *sep, bool json)
{
	const char *q = json ? "\"" : "";
	uint32_t known = 0, rest;
	size_t i;
	int n = 0;

	for (i = 0; i < sizeof(entropy_names) / sizeof(entropy_names[0]); i++) {
		known |= entropy_names[i].bit;
		if (mask & entropy_names[i].bit)
			printf("%s%s%s%s", n++ ? sep : "", q,
			       entropy_names[i].name, q);
	}
	for (rest = mask & ~known; rest; rest &= rest - 1)
		printf("%s%s0x%x%s", n++ ? sep : "", q, rest & -rest, q);
}

static void status_text(const struct vbs_status *st)
{
	printf("VBS: %s (VirtualizationBasedSecurityStatus %d)\n",
	       vbs_state_text[st->state], st->state);
	if (st->hv.present) {
		printf("hypervisor: OpenVBS ");
		version_text(stdout, st->hv.version);
		printf(" (interface %u)\n", st->hv.abi);
	} else {
		printf("hypervisor: not present\n");
	}
	if (st->state != VBS_STATE_RUNNING) {
		printf("secure kernel: not running (%s)\n", st->reason);
		return;
	}
	printf("secure kernel: running, version ");
	version_text(stdout, st->si.sk_version);
	printf(" (ABI %u)\n", st->si.abi_version);
	props_line("available security properties", st->si.props_available);
	props_line("required security properties", st->si.props_required);
	props_line("security services running", st->si.props_running);
	printf("vault: %u of %u slots used\n", st->si.vault_used,
	       st->si.vault_slots);
	printf("entropy sources: ");
	if (st->si.entropy_sources)
		entropy_write(st->si.entropy_sources, ", ", false);
	else
		fputs("none", stdout);
	putchar('\n');
	printf("log: next sequence %llu, %llu entries dropped since start\n",
	       (unsigned long long)st->si.log_next_seq,
	       (unsigned long long)st->si.log_dropped);
}

static void props_json(const char *key, uint32_t mask)
{
	printf(", \"%s\": [", key);
	props_write(stdout, mask, ", ", true);
	printf("], \"%s_mask\": %u", key, mask);
}

static void status_json(const struct vbs_status *st)
{
	const struct vbs_sk_status_info *si = &st->si;

	printf("{\"vbs_status\": %d, \"vbs_status_text\": \"%s\", "
	       "\"hypervisor\": {\"present\": %s", st->state,
	       vbs_state_text[st->state], st->hv.present ? "true" : "false");
	if (st->hv.present) {
		printf(", \"version\": \"");
		version_text(stdout, st->hv.version);
		printf("\", \"interface\": %u", st->hv.abi);
	}
	printf("}, \"driver\": %s, \"secure_kernel\": {\"running\": %s",
	       st->driver ? "true" : "false",
	       st->state == VBS_STATE_RUNNING ? "true" : "false");
	if (st->state != VBS_STATE_RUNNING) {
		printf(", \"reason\": ");
		json_str(stdout, st->reason, strlen(st->reason));
		printf("}, \"available_security_properties\": [], "
		       "\"required_security_properties\": [], "
		       "\"security_services_running\": []}\n");
		return;
	}
	printf(", \"version\": \"");
	version_text(stdout, si->sk_version);
	printf("\", \"abi\": %u}", si->abi_version);
	props_json("available_security_properties", si->props_available);
	props_json("required_security_properties", si->props_required);
	props_json("security_services_running", si->props_running);
	printf(", \"entropy_sources\": [");
	entropy_write(si->entropy_sources, ", ", true);
	printf("], \"entropy_sources_mask\": %u", si->entropy_sources);
	printf(", \"vault\": {\"used\": %u, \"slots\": %u}, "
	       "\"log\": {\"next_seq\": %llu, \"dropped\": %llu}}\n",
	       si->vault_used, si->vault_slots,
	       (unsigned long long)si->log_next_seq,
	       (unsigned long long)si->log_dropped);
}

int cmd_status(int argc, char **argv)
{
	struct vbsctl_opts o;
	struct vbs_status st;
	char err[128];

	if (opts_parse(argc, argv, 1, OPT_JSON, 0, &o, err, sizeof(err))) {
		fprintf(stderr, "vbsctl status: %s\nusage: vbsctl status [--json]\n",
			err);
		return VBSCTL_E_USAGE;
	}
	status_read(&st);
	if (o.json)
		status_json(&st);
	else
		status_text(&st);
	if (st.rc != VBSCTL_OK && st.rc != VBSCTL_E_NOTRUNNING)
		fprintf(stderr, "vbsctl status: %s\n", st.reason);
	return st.rc;
}
