# Unit tests of tools/vbs-check (cmocka, ASan/UBSan): tests/unit/check_*.c,
# linked with the vbs-check objects built with $(SAN_FLAGS) and
# $(B)/san/libvbs.a.
VC_UNIT_SRCS := $(wildcard tests/unit/check_*.c)
VC_UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(VC_UNIT_SRCS))

$(B)/tests/unit/check_%: tests/unit/check_%.c tests/unit/check_util.h $(VC_SAN_OBJS) $(B)/san/libvbs.a $(VC_HDRS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O1 $(SAN_FLAGS) -Itools/vbs-check -o $@ $< \
		$(VC_SAN_OBJS) $(B)/san/libvbs.a -lcmocka $(VC_LIBS)

UNIT_TESTS += $(VC_UNIT_BINS)
