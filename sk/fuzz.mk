# The secure kernel's fuzz target (libFuzzer + ASan/UBSan, clang), built
# from the same sources as sk.bin; corpus in tests/fuzz/corpus/<name>/.
SK_FUZZ_SRCS := sk/services/dispatch.c sk/services/vault.c sk/core/evlog.c \
	sk/core/scrub.c sk/services/protect.c sk/core/entropy_pool.c \
	sk/services/modules.c

$(B)/fuzz/fuzz_sk_dispatch: sk/fuzz/fuzz_sk_dispatch.c $(SK_FUZZ_SRCS) $(SK_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_FLAGS) -Isk $< $(SK_FUZZ_SRCS) -lbearssl -lsodium -o $@

FUZZERS += $(B)/fuzz/fuzz_sk_dispatch
