# Unit tests of vbs-drvcheck (docs/drvcheck.md) and lib/fmt/elf (cmocka,
# ASan/UBSan). Their fixtures are built here by real toolchains: gcc -c
# for relocatable ELF objects (the same format as a .ko) and assembler
# cases, mingw-w64 (x86_64-w64-mingw32-gcc, dlltool) for Windows drivers
# and the ntoskrnl.exe import library they link against.
#
# The .ko fixtures built by kbuild against the pinned kernel's headers are
# at the end: built on request by tests/integration/drvcheck-kmod.sh.
DRV_UNIT := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(wildcard tests/unit/drv_*.c))
DRVF := $(B)/tests/drv-fixtures
DRVF_SRC := tests/unit/drv_fixtures
DRVF_CFLAGS := -O2 -ffreestanding -fno-pic -fno-ident -mno-red-zone \
	-fno-asynchronous-unwind-tables
MINGW_CC := x86_64-w64-mingw32-gcc
MINGW_DLLTOOL := x86_64-w64-mingw32-dlltool
# A driver: no C runtime, native subsystem, DriverEntry as entry point.
PE_LINK := $(MINGW_CC) -O2 -fno-ident -nostdlib -shared \
	-Wl,--subsystem,native -Wl,--entry,DriverEntry

DRV_FIXTURES := $(addprefix $(DRVF)/,elf_clean.o elf_wx.o elf_setx.o \
	elf_module_alloc.o elf_vmalloc.o elf_vmalloc_nx.o elf_vmalloc_var.o \
	elf_memrw.o elf_textpoke.o elf_gotpcrel.o elf_abs32.o elf_klp.o \
	elf_nosym.o elf_dyn.so sweep_cases.bin \
	pe_clean.sys pe_align.sys pe_nonx.sys pe_wx.sys pe_xpool.sys \
	pe_xmap.sys pe_nxpool.sys pe_varpool.sys pe_pool2.sys pe_pool2nx.sys \
	pe_reloc32.sys pe_relocx.sys pe_stripped.sys pe_nodynbase.sys)

$(DRVF)/%.o: $(DRVF_SRC)/%.c
	@mkdir -p $(@D)
	$(CC) $(DRVF_CFLAGS) -mcmodel=kernel -c $< -o $@
$(DRVF)/%.o: $(DRVF_SRC)/%.S
	@mkdir -p $(@D)
	$(CC) -c $< -o $@
$(DRVF)/sweep_cases.bin: $(DRVF)/sweep_cases.o
	objcopy -O binary -j .text $< $@
$(DRVF)/elf_nosym.o: $(DRVF)/elf_clean.o
	objcopy --strip-all $< $@
$(DRVF)/elf_dyn.so: $(DRVF_SRC)/elf_clean.c
	$(CC) -O2 -fpic -shared -nostdlib -fno-ident $< -o $@

$(DRVF)/libntoskrnl.a: $(DRVF_SRC)/ntoskrnl.def
	@mkdir -p $(@D)
	$(MINGW_DLLTOOL) -d $< -l $@
$(DRVF)/pe_clean.sys: $(DRVF_SRC)/pe_driver.c
	$(PE_LINK) $< -o $@
$(DRVF)/pe_align.sys: $(DRVF_SRC)/pe_driver.c
	$(PE_LINK) -Wl,--section-alignment,0x200,--file-alignment,0x200 $< -o $@
$(DRVF)/pe_nonx.sys: $(DRVF_SRC)/pe_driver.c
	$(PE_LINK) -Wl,--disable-nxcompat $< -o $@
$(DRVF)/pe_nodynbase.sys: $(DRVF_SRC)/pe_driver.c
	$(PE_LINK) -Wl,--disable-dynamicbase $< -o $@
# GNU ld keeps a base relocation table in every DLL; an image without one
# (IMAGE_FILE_RELOCS_STRIPPED) is linked as an executable.
$(DRVF)/pe_stripped.sys: $(DRVF_SRC)/pe_relocx.c
	$(subst -shared,,$(PE_LINK)) -Wl,--disable-reloc-section $< -o $@
$(DRVF)/pe_wx.sys: $(DRVF_SRC)/pe_wx.c
	$(PE_LINK) $< -o $@
$(DRVF)/pe_relocx.sys: $(DRVF_SRC)/pe_relocx.c
	$(PE_LINK) $< -o $@
# Linked low so that a 32-bit absolute address can hold a symbol at all.
$(DRVF)/pe_reloc32.sys: $(DRVF_SRC)/pe_reloc32.c
	$(PE_LINK) -Wl,--image-base,0x10000000 $< -o $@
$(addprefix $(DRVF)/,pe_xpool.sys pe_nxpool.sys pe_varpool.sys pe_xmap.sys pe_pool2.sys pe_pool2nx.sys): $(DRVF)/%.sys: $(DRVF_SRC)/%.c $(DRVF)/libntoskrnl.a
	$(PE_LINK) $< -L$(DRVF) -lntoskrnl -o $@

$(B)/tests/unit/drv_%: tests/unit/drv_%.c $(DC_SAN_OBJS) $(B)/san/libvbs.a $(DRV_FIXTURES)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O1 $(SAN_FLAGS) -Wno-missing-prototypes \
		-Itools/vbs-drvcheck -DDRV_FIXTURES='"$(DRVF)"' $< \
		$(DC_SAN_OBJS) $(B)/san/libvbs.a -lcmocka -lcapstone -o $@

UNIT_TESTS += $(DRV_UNIT)
.SECONDARY: $(DRV_FIXTURES) $(DRVF)/libntoskrnl.a $(DRVF)/sweep_cases.o

# ---- .ko fixtures: kbuild against the pinned kernel's headers ---------
# One module per ELF rule a real module can trigger, and clean ones
# (tests/unit/drv_kmod/). Defined once scripts/fetch-kernel has unpacked
# the headers; built only on request (drvcheck-kmod.sh), not by `make
# all`: kbuild is the pinned kernel's, not part of the build host's tool
# chain. Some fixtures call functions this kernel does not export
# (__vmalloc_node_range, set_memory_x, text_poke): KBUILD_MODPOST_WARN
# turns modpost's "undefined!" into a warning so that they still link.
DRV_KMOD_SRC := tests/unit/drv_kmod
DRV_KMOD_OUT := $(B)/tests/drv-kmod
DRV_KMOD_HDRS := $(realpath $(B)/kernel/current)/root/usr/src
DRV_KMOD_OBJ := $(firstword $(wildcard $(DRV_KMOD_HDRS)/linux-headers-*-amd64))
DRV_KMOD_COMMON := $(firstword $(wildcard $(DRV_KMOD_HDRS)/linux-headers-*-common))

ifneq ($(and $(DRV_KMOD_OBJ),$(DRV_KMOD_COMMON)),)
$(DRV_KMOD_OUT)/.built: $(wildcard $(DRV_KMOD_SRC)/*.c) $(DRV_KMOD_SRC)/Kbuild
	@rm -rf $(DRV_KMOD_OUT) && mkdir -p $(DRV_KMOD_OUT)
	cp $^ $(DRV_KMOD_OUT)/
	$(MAKE) --no-print-directory -s -C $(DRV_KMOD_OBJ) \
		-f $(DRV_KMOD_COMMON)/Makefile M=$(abspath $(DRV_KMOD_OUT)) \
		KBUILD_MODPOST_WARN=1 modules
	touch $@

.PHONY: drv-kmod
drv-kmod: $(DRV_KMOD_OUT)/.built
endif
