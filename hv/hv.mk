# hv/: the hypervisor image, build/hv/hv.bin (docs/hypervisor.md).
#
# Freestanding, -Werror, no libc, its own linker script. It is a static
# PIE linked at 0 that relocates itself (R_X86_64_RELATIVE only, checked
# below), because the loader places it wherever EFI gives reserved memory:
# hence -fpie -mcmodel=small instead of the fs variant's -mcmodel=kernel.
# From lib/ it takes the self-relocation (lib/base/reloc.c) and memcpy &
# co. (lib/image/cmem.c), built here with its own flags.
HV_SRCS := $(wildcard hv/core/*.c hv/arch/x86/*.c hv/arch/x86/svm/*.c \
	hv/arch/x86/svm/exits/*.c)
HV_ASM := $(wildcard hv/arch/x86/*.S hv/arch/x86/svm/*.S)
HV_HDRS := $(wildcard hv/core/*.h hv/arch/x86/*.h hv/arch/x86/svm/*.h) \
	$(wildcard include/vbs/*.h lib/base/*.h)
HV_CFLAGS := $(filter-out -fno-pic -mcmodel=kernel,$(FREESTANDING_CFLAGS)) \
	-Ihv -fpie -mcmodel=small -mgeneral-regs-only -fno-asynchronous-unwind-tables \
	-fno-jump-tables
# lib/ sources the image shares with sk.bin, built with the image's flags.
HV_LIB_SRCS := lib/base/reloc.c lib/image/cmem.c
HV_OBJS := $(patsubst hv/%.c,$(B)/hv/%.o,$(HV_SRCS)) \
	$(patsubst hv/%.S,$(B)/hv/%.o,$(HV_ASM)) \
	$(patsubst lib/%.c,$(B)/hv/lib/%.o,$(HV_LIB_SRCS))

$(B)/hv/lib/%.o: lib/%.c lib/base/reloc.h
	@mkdir -p $(@D)
	$(CC) $(HV_CFLAGS) -c $< -o $@

# memcpy and friends must not become calls to themselves.
$(B)/hv/lib/image/cmem.o: HV_CFLAGS += -fno-tree-loop-distribute-patterns

$(B)/hv/%.o: hv/%.c $(HV_HDRS)
	@mkdir -p $(@D)
	$(CC) $(HV_CFLAGS) -c $< -o $@

$(B)/hv/%.o: hv/%.S $(HV_HDRS)
	@mkdir -p $(@D)
	$(CC) $(HV_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(B)/hv/hv.elf: $(HV_OBJS) hv/hv.lds
	ld -nostdlib -static -pie --no-dynamic-linker -z noexecstack \
		-z norelro -z max-page-size=4096 --no-warn-rwx-segments -T hv/hv.lds $(HV_OBJS) -o $@
	@bad=$$(readelf -rW $@ | awk '/^[0-9a-f]+ / && $$3 != "R_X86_64_RELATIVE"'); \
	if [ -n "$$bad" ]; then echo "hv: relocations other than RELATIVE:" >&2; \
		echo "$$bad" >&2; rm -f $@; exit 1; fi
	@undef=$$(nm -u $@); if [ -n "$$undef" ]; then \
		echo "hv: undefined: $$undef" >&2; rm -f $@; exit 1; fi

# The header's file_size (0x18) and mem_size (0x20), from the link; the
# temporary file is per process, so parallel makes in one tree do not clash.
$(B)/hv/hv.bin: $(B)/hv/hv.elf
	@t=$@.$$$$.tmp; objcopy -O binary --remove-section=.bss $< $$t && \
	python3 -c 'import struct, sys; \
		syms = {l.split()[2]: int(l.split()[0], 16) for l in open(sys.argv[2]) if len(l.split()) == 3}; \
		b = bytearray(open(sys.argv[1], "rb").read()); \
		assert b[:8] == b"OVBS-HV1" and syms["hv_header"] == 0; \
		assert len(b) <= syms["__file_end"]; \
		b += bytes(syms["__file_end"] - len(b)); \
		b[0x18:0x28] = struct.pack("<QQ", syms["__file_end"], syms["__image_end"]); \
		open(sys.argv[1], "wb").write(b)' $$t <(nm $<) && \
	mv $$t $@ || { rm -f $$t; exit 1; }

ALL += $(B)/hv/hv.bin
