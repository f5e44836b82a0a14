// SPDX-License-Identifier: MIT
/*
 * Fuzz lib/fmt/elf and the vbs-drvcheck analysis (ELF modules and, through
 * the same entry point, PE drivers): any input is analysed or rejected,
 * never read out of bounds. Built by tools/vbs-drvcheck/fuzz.mk.
 */
#include <string.h>

#include "analyze.h"
#include "fmt/elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Walk every section, name and symbol the accessors will hand out. */
static void walk(const uint8_t *data, size_t size)
{
	struct vbs_elf e;
	struct vbs_elf_shdr sh;
	struct vbs_elf_sym sym;
	uint32_t i;
	uint64_t k, n;

	if (vbs_elf_open(&e, data, size) != VBS_ELF_OK)
		return;
	for (i = 0; i < e.shnum && i < 4096; i++) {
		(void)strlen(vbs_elf_section_name(&e, i));
		if (vbs_elf_shdr(&e, i, &sh))
			continue;
		n = vbs_elf_sym_count(&sh);
		for (k = 0; k < n && k < 4096; k++) {
			const char *name;

			if (vbs_elf_sym(&e, &sh, k, &sym))
				continue;
			name = vbs_elf_str(&e, sh.link, sym.name);
			if (name)
				(void)strlen(name);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct drv_result res;

	walk(data, size);
	if (drv_analyze(data, size, &res) != 0 && !res.error)
		__builtin_trap(); /* rejection always carries a message */
	return 0;
}
