// SPDX-License-Identifier: MIT
/*
 * vbsctl hv: the OpenVBS hypervisor as the guest sees it (docs/vbsctl.md,
 * docs/hypervisor.md "vbsctl"; main.c dispatches the other subcommands).
 *
 *   vbsctl hv [--json]   is OpenVBS present (by its CPUID signature, not
 *                        the generic hypervisor bit), its version, and the
 *                        exit counters of the CPU this runs on
 *
 * Everything is read through CPUID leaves 0x40000000-0x40000002
 * (include/vbs/cpuid.h), which work at any privilege level. Pin the
 * process (taskset) to read a given CPU's counters. guest/bench compiles
 * this file in for hv_read().
 */
#include <cpuid.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "vbs/cpuid.h"
#include "vbs/hypercall.h"
#include "vbsctl.h"

static const char *const counter_names[VBS_CTR_COUNT] = {
	[VBS_CTR_TOTAL] = "total", [VBS_CTR_CPUID] = "cpuid",
	[VBS_CTR_MSR] = "msr", [VBS_CTR_VMMCALL] = "vmmcall",
	[VBS_CTR_NPF] = "npf", [VBS_CTR_SVM_INSN] = "svm_insn",
	[VBS_CTR_SMI] = "smi", [VBS_CTR_OTHER] = "other",
	[VBS_CTR_NMI] = "nmi", [VBS_CTR_APIC] = "apic",
	[VBS_CTR_VTL_CALL] = "vtl_call", [VBS_CTR_INTR] = "intr",
	[VBS_CTR_INTERCEPT] = "intercept", [VBS_CTR_SHOOTDOWN] = "shootdown",
};

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
}

void hv_read(struct hv_info *h)
{
	uint32_t r[4], i;

	memset(h, 0, sizeof(*h));
	h->os_cpu = sched_getcpu();
	cpuid(VBS_CPUID_LEAF_VENDOR, 0, r);
	memcpy(h->vendor, &r[1], 4);
	memcpy(h->vendor + 4, &r[2], 4);
	memcpy(h->vendor + 8, &r[3], 4);
	h->max_leaf = r[0];
	h->present = memcmp(h->vendor, VBS_CPUID_SIGNATURE,
			    VBS_CPUID_SIGNATURE_LEN) == 0 &&
		     h->max_leaf >= VBS_CPUID_LEAF_COUNTERS;
	for (i = 0; i < VBS_CPUID_SIGNATURE_LEN; i++)
		if (h->vendor[i] < 0x20 || h->vendor[i] > 0x7e)
			h->vendor[i] = '.';
	if (!h->present)
		return;
	cpuid(VBS_CPUID_LEAF_INFO, 0, r);
	h->abi = r[0];
	h->version = r[1];
	h->ncounters = r[2];
	h->cpu_index = r[3];
	for (i = 0; i < VBS_CTR_COUNT && i < h->ncounters; i++) {
		cpuid(VBS_CPUID_LEAF_COUNTERS, i, r);
		if (r[3] == 1)
			h->counters[i] = (uint64_t)r[1] << 32 | r[0];
	}
}

static void print_text(const struct hv_info *h)
{
	unsigned int i;

	if (!h->present) {
		printf("OpenVBS hypervisor: not present (CPU %d; leaf 0x40000000 "
		       "vendor \"%s\")\n", h->os_cpu, h->vendor);
		return;
	}
	printf("OpenVBS hypervisor: present (CPU %d, hypervisor CPU %u)\n",
	       h->os_cpu, h->cpu_index);
	printf("version %u.%u.%u, interface %u\n", h->version >> 16,
	       (h->version >> 8) & 0xff, h->version & 0xff, h->abi);
	for (i = 0; i < VBS_CTR_COUNT; i++)
		printf("exits.%-9s %llu\n", counter_names[i],
		       (unsigned long long)h->counters[i]);
}

static void print_json(const struct hv_info *h)
{
	unsigned int i;

	printf("{\"present\": %s, \"cpu\": %d, \"vendor\": \"%s\"",
	       h->present ? "true" : "false", h->os_cpu, h->vendor);
	if (h->present) {
		printf(", \"hv_cpu\": %u, \"version\": \"%u.%u.%u\", "
		       "\"interface\": %u, \"exits\": {", h->cpu_index,
		       h->version >> 16, (h->version >> 8) & 0xff,
		       h->version & 0xff, h->abi);
		for (i = 0; i < VBS_CTR_COUNT; i++)
			printf("%s\"%s\": %llu", i ? ", " : "",
			       counter_names[i],
			       (unsigned long long)h->counters[i]);
		printf("}");
	}
	printf("}\n");
}

static int usage(void)
{
	fprintf(stderr, "usage: vbsctl hv [--json]\n");
	return 2;
}

/* argv[0] is "hv". */
int cmd_hv(int argc, char **argv)
{
	struct hv_info h;
	bool json = false;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else
			return usage();
	}
	hv_read(&h);
	if (json)
		print_json(&h);
	else
		print_text(&h);
	return h.present ? 0 : 1;
}
