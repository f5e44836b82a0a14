// SPDX-License-Identifier: MIT
/*
 * vbsctl: the OpenVBS guest control tool (docs/vbsctl.md). Dispatches to
 * one subcommand:
 *
 *   vbsctl hv [--json]                     the hypervisor (vbsctl.c)
 *   vbsctl status [--json]                 VBS state and properties (status.c)
 *   vbsctl log [--json] [--from SEQ]       the secure kernel's log (log.c)
 *   vbsctl vault OP ...                    the secret vault (vault.c)
 *   vbsctl protect set|list ...            protected memory (protect.c)
 */
#include <stdio.h>
#include <string.h>

#include "vbsctl.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} subcommands[] = {
	{ "hv", cmd_hv },
	{ "status", cmd_status },
	{ "log", cmd_log },
	{ "vault", cmd_vault },
	{ "protect", cmd_protect },
};

static int main_usage(void)
{
	fprintf(stderr,
		"usage: vbsctl hv [--json]\n"
		"       vbsctl status [--json]\n"
		"       vbsctl log [--json] [--from SEQ]\n"
		"       vbsctl vault create|import|list|delete|pubkey|sign|mac|wrap|unwrap ...\n"
		"       (vbsctl vault --help for its options; docs/vbsctl.md)\n"
		"       vbsctl protect set GPA PAGES --mask r|rw|rx|rwx|none\n"
		"                      [--policy deny|audit|tripwire] [--label TEXT]\n"
		"       vbsctl protect list [--json]\n");
	return VBSCTL_E_USAGE;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return main_usage();
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(argc - 1, argv + 1);
	return main_usage();
}
