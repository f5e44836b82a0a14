# tools/vbs-drvcheck: static memory-integrity check of drivers
# (docs/drvcheck.md).
#
#   $(B)/bin/vbs-drvcheck        host binary (links $(B)/host/libvbs.a, json-c)
#   $(B)/san/vbs-drvcheck/*.o    analysis objects with ASan/UBSan (unit tests)
DC_SRCS := $(wildcard tools/vbs-drvcheck/*.c)
DC_HDRS := $(wildcard tools/vbs-drvcheck/*.h) $(LIB_HDRS)
DC_CFLAGS = $(HOST_CFLAGS) -Itools/vbs-drvcheck
DC_LIBS := -ljson-c -lcapstone -lcrypto

$(B)/host/vbs-drvcheck/%.o: tools/vbs-drvcheck/%.c $(DC_HDRS)
	@mkdir -p $(@D)
	$(CC) $(DC_CFLAGS) -c $< -o $@

$(B)/san/vbs-drvcheck/%.o: tools/vbs-drvcheck/%.c $(DC_HDRS)
	@mkdir -p $(@D)
	$(CC) $(DC_CFLAGS) -O1 $(SAN_FLAGS) -c $< -o $@

$(B)/bin/vbs-drvcheck: $(patsubst tools/vbs-drvcheck/%.c,$(B)/host/vbs-drvcheck/%.o,$(DC_SRCS)) $(B)/host/libvbs.a
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $^ $(DC_LIBS)

# The analysis without the command line (main.c) or libcrypto
# (sigverify.c): what unit tests (and, in fuzz.mk, the fuzzer) link.
DC_SAN_OBJS := $(patsubst tools/vbs-drvcheck/%.c,$(B)/san/vbs-drvcheck/%.o,\
	$(filter-out %/main.c %/sigverify.c,$(DC_SRCS)))

ALL += $(B)/bin/vbs-drvcheck
.SECONDARY: $(DC_SAN_OBJS)
