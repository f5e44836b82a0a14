# Unit tests of vbs-drvcheck (docs/drvcheck.md) and lib/fmt/elf (cmocka,
# ASan/UBSan). Their fixtures are built here by the real toolchain: gcc -c
# for relocatable ELF objects (the same format as a .ko), GNU ld's PE
# emulation (i386pep) for Windows-style drivers and their ntoskrnl import.
DRV_UNIT := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(wildcard tests/unit/drv_*.c))
DRVF := $(B)/tests/drv-fixtures
DRVF_SRC := tests/unit/drv_fixtures
DRVF_CFLAGS := -O2 -ffreestanding -fno-pic -fno-ident -mno-red-zone \
	-fno-asynchronous-unwind-tables
PE_LD := ld -m i386pep --subsystem=native -e DriverEntry

DRV_FIXTURES := $(addprefix $(DRVF)/,elf_clean.o elf_wx.o elf_setx.o \
	elf_module_alloc.o elf_vmalloc.o elf_memrw.o elf_textpoke.o \
	elf_nosym.o elf_dyn.so pe_clean.sys pe_align.sys pe_nonx.sys \
	pe_wx.sys pe_xpool.sys pe_xmap.sys pe_nxpool.sys pe_varpool.sys)

$(DRVF)/%.o: $(DRVF_SRC)/%.c
	@mkdir -p $(@D)
	$(CC) $(DRVF_CFLAGS) -mcmodel=kernel -c $< -o $@
$(DRVF)/pe_%.po: $(DRVF_SRC)/pe_%.c
	@mkdir -p $(@D)
	$(CC) $(DRVF_CFLAGS) -c $< -o $@
$(DRVF)/elf_nosym.o: $(DRVF)/elf_clean.o
	objcopy --strip-all $< $@
$(DRVF)/elf_dyn.so: $(DRVF_SRC)/elf_clean.c
	$(CC) -O2 -fpic -shared -nostdlib -fno-ident $< -o $@
$(DRVF)/ntoskrnl.exe: $(DRVF)/pe_ntoskrnl.po
	ld -m i386pep --dll --export-all-symbols -e 0 $< -o $@
$(DRVF)/pe_clean.sys: $(DRVF)/pe_driver.po
	$(PE_LD) --nxcompat $< -o $@
$(DRVF)/pe_align.sys: $(DRVF)/pe_driver.po
	$(PE_LD) --nxcompat --section-alignment=0x200 --file-alignment=0x200 $< -o $@
$(DRVF)/pe_nonx.sys: $(DRVF)/pe_driver.po
	$(PE_LD) --disable-nxcompat $< -o $@
$(DRVF)/pe_wx.sys: $(DRVF)/pe_wx.po
	$(PE_LD) --nxcompat $< -o $@
$(addprefix $(DRVF)/,pe_xpool.sys pe_nxpool.sys pe_varpool.sys pe_xmap.sys): $(DRVF)/%.sys: $(DRVF)/%.po $(DRVF)/ntoskrnl.exe
	$(PE_LD) --nxcompat $^ -o $@

$(B)/tests/unit/drv_%: tests/unit/drv_%.c $(DC_SAN_OBJS) $(B)/san/libvbs.a $(DRV_FIXTURES)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O1 $(SAN_FLAGS) -Wno-missing-prototypes \
		-Itools/vbs-drvcheck -DDRV_FIXTURES='"$(DRVF)"' $< \
		$(DC_SAN_OBJS) $(B)/san/libvbs.a -lcmocka -lcapstone -o $@

UNIT_TESTS += $(DRV_UNIT)
.SECONDARY: $(DRV_FIXTURES) $(DRVF)/ntoskrnl.exe
