# Unit tests of the loader's host-testable parts in lib/boot (cmocka,
# ASan/UBSan): policy parser, report and signature-file encoding, R1-R10
# judgement (R3 PCI coverage: boot_iommu), the kernel PE check (boot_pe).
BOOT_UNIT := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(wildcard tests/unit/boot_*.c))

$(B)/tests/unit/boot_%: tests/unit/boot_%.c $(B)/san/libvbs.a
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O1 $(SAN_FLAGS) -Wno-missing-prototypes $< \
		$(B)/san/libvbs.a -lcmocka -o $@

UNIT_TESTS += $(BOOT_UNIT)
