# tools/vbs-check: the platform readiness checker (docs/readiness.md).
#
#   $(B)/bin/vbs-check         host binary (links $(B)/host/libvbs.a, json-c)
#   $(B)/guest/bin/vbs-check   static binary for the test guest's initramfs
#   $(B)/san/vbs-check/*.o     the same objects with ASan/UBSan, for unit tests
VC_SRCS := $(wildcard tools/vbs-check/*.c tools/vbs-check/checks/*.c)
VC_HDRS := $(wildcard tools/vbs-check/*.h tools/vbs-check/checks/*.h) $(LIB_HDRS)
VC_LIB_SRCS := $(filter-out tools/vbs-check/main.c,$(VC_SRCS))
VC_CFLAGS = $(HOST_CFLAGS) -Itools/vbs-check
VC_LIBS := -ljson-c

$(B)/host/vbs-check/%.o: tools/vbs-check/%.c $(VC_HDRS)
	@mkdir -p $(@D)
	$(CC) $(VC_CFLAGS) -c $< -o $@

$(B)/san/vbs-check/%.o: tools/vbs-check/%.c $(VC_HDRS)
	@mkdir -p $(@D)
	$(CC) $(VC_CFLAGS) -O1 $(SAN_FLAGS) -c $< -o $@

$(B)/bin/vbs-check: $(patsubst tools/vbs-check/%.c,$(B)/host/vbs-check/%.o,$(VC_SRCS)) $(B)/host/libvbs.a
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $^ $(VC_LIBS)

# Static: Debian's libjson-c.a; the guest initramfs has no shared libraries.
$(B)/guest/bin/vbs-check: $(patsubst tools/vbs-check/%.c,$(B)/host/vbs-check/%.o,$(VC_SRCS)) $(B)/host/libvbs.a
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -static -o $@ $^ $(VC_LIBS)

# Objects for unit tests and fuzzers (everything but main()).
VC_SAN_OBJS := $(patsubst tools/vbs-check/%.c,$(B)/san/vbs-check/%.o,$(VC_LIB_SRCS))

ALL += $(B)/bin/vbs-check
GUEST_BINS += $(B)/guest/bin/vbs-check

# Built only as prerequisites of pattern rules (unit tests): keep them, or
# make deletes them as intermediate files after every build.
.SECONDARY: $(VC_SAN_OBJS)
