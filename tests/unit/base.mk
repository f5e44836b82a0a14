# Unit tests of lib/base's header-only helpers (cmocka, ASan/UBSan): the
# range checks of lib/base/range.h that hv.bin and sk.bin compile in.
BASE_UNIT := base_range

$(B)/tests/unit/base_%: tests/unit/base_%.c lib/base/range.h lib/base/base.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O1 $(SAN_FLAGS) -Wno-missing-prototypes $< \
		-lcmocka -o $@

UNIT_TESTS += $(addprefix $(B)/tests/unit/,$(BASE_UNIT))
