# Unit tests of vbsctl's pure parts (guest/vbsctl/fmt.c; cmocka, ASan/UBSan).
$(B)/tests/unit/vbsctl_fmt: tests/unit/vbsctl_fmt.c guest/vbsctl/fmt.c \
		guest/vbsctl/vbsctl.h include/vbs/sk_abi.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O1 $(SAN_FLAGS) -Iguest/vbsctl -Wno-missing-prototypes \
		tests/unit/vbsctl_fmt.c guest/vbsctl/fmt.c -lcmocka -o $@

UNIT_TESTS += $(B)/tests/unit/vbsctl_fmt
