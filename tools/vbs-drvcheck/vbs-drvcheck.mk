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

DC_SAN_OBJS := $(B)/san/vbs-drvcheck/analyze.o $(B)/san/vbs-drvcheck/callsite.o

ALL += $(B)/bin/vbs-drvcheck
.SECONDARY: $(DC_SAN_OBJS)
