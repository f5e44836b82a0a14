/*
 * Livepatch relocation sections (SHT_RELA with SHF_RELA_LIVEPATCH,
 * 0x100000): one for a module object, applied late through text_poke
 * (ELF-RELOC-LATE), one for vmlinux, applied at load (no finding). The
 * assembler cannot set sh_info and sh_link: tests/unit/drv_rules.c points
 * them at .text and .symtab. Each holds one R_X86_64_NONE entry.
 */
	.text
	.globl fixture_init
fixture_init:
	ret

	.section .klp.rela.nf_conntrack..text, "0x100000", @0x4
	.quad 0, 0, 0
	.section .klp.rela.vmlinux..text, "0x100000", @0x4
	.quad 0, 0, 0
