# libFuzzer target for lib/fmt/elf and the vbs-drvcheck analysis
# (tests/fuzz/fuzz_elf.c; seed corpus tests/fuzz/corpus/fuzz_elf/: small
# gcc/ld-built objects like tests/unit/drv.mk's fixtures).
# The analysis: every source but the command line (main.c) and the
# libcrypto signature check (sigverify.c), as in vbs-drvcheck.mk.
DC_FUZZ_DEPS := $(filter-out %/main.c %/sigverify.c,$(wildcard tools/vbs-drvcheck/*.c)) $(LIB_SRCS)

$(B)/fuzz/fuzz_elf: tests/fuzz/fuzz_elf.c $(DC_FUZZ_DEPS) $(DC_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_FLAGS) -Itools/vbs-drvcheck -o $@ $< $(DC_FUZZ_DEPS) -lcapstone

FUZZERS += $(B)/fuzz/fuzz_elf
