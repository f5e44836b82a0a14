# Fuzz target of the loader's parsers in lib/boot (libFuzzer, clang).
# Included from boot/boot.mk.
$(B)/fuzz/fuzz_policy: tests/fuzz/fuzz_policy.c $(wildcard lib/boot/*.c lib/base/*.c) $(LIB_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_FLAGS) $< $(wildcard lib/boot/*.c lib/base/*.c lib/fw/*.c) -o $@

FUZZERS += $(B)/fuzz/fuzz_policy
