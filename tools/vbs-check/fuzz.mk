# libFuzzer targets for vbs-check's own parsers of untrusted text
# (tests/fuzz/fuzz_vc_*.c; seed corpora in tests/fuzz/corpus/fuzz_vc_*/).
VC_FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_vc_*.c)
VC_FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(VC_FUZZ_SRCS))
VC_FUZZ_HDRS := $(wildcard tools/vbs-check/*.h tools/vbs-check/checks/*.h \
	lib/base/*.h lib/fw/*.h lib/boot/*.h include/vbs/*.h)
VC_FUZZ_DEPS := tools/vbs-check/checks.c $(wildcard tools/vbs-check/checks/*.c) \
	tools/vbs-check/ev.c tools/vbs-check/text.c $(LIB_SRCS)

$(B)/fuzz/fuzz_vc_%: tests/fuzz/fuzz_vc_%.c $(VC_FUZZ_DEPS) $(VC_FUZZ_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_FLAGS) -Itools/vbs-check -o $@ $< $(VC_FUZZ_DEPS)

FUZZERS += $(VC_FUZZ_BINS)
