# lib/fw unit tests: cmocka, against the ASan/UBSan build of lib/.
FW_UNIT := fw_fixtures fw_tables fw_mat fw_mat_scale fw_mor

$(B)/tests/unit/fw_%: tests/unit/fw_%.c tests/unit/fw_test.h $(B)/san/libvbs.a
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(SAN_FLAGS) -Wno-missing-prototypes $< \
		$(B)/san/libvbs.a -lcmocka -o $@

UNIT_TESTS += $(addprefix $(B)/tests/unit/,$(FW_UNIT))
