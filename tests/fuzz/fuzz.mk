# lib/fw fuzz targets: libFuzzer + ASan/UBSan, built with clang straight
# from the lib sources (the gcc archives are not instrumented).
FW_FUZZ := acpi wsmt tpm2 dmar ivrs mat mor
FW_FUZZ_LIB := lib/base/mem.c $(wildcard lib/fw/*.c)

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FW_FUZZ_LIB) $(LIB_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_FLAGS) $< $(FW_FUZZ_LIB) -o $@

FUZZERS += $(addprefix $(B)/fuzz/fuzz_,$(FW_FUZZ))
