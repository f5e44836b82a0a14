# libFuzzer targets for vbs-drvcheck, built with clang straight from the
# sources (the gcc objects are not instrumented):
#   fuzz_elf  lib/fmt/elf and the whole analysis through drv_analyze
#             (tests/fuzz/fuzz_elf.c; seeds: small gcc/ld-built objects
#             like tests/unit/drv.mk's fixtures);
#   fuzz_pe   lib/boot/pe.c, the PE accessors and rules, the call-site
#             walk with every IAT slot watched (tests/fuzz/fuzz_pe.c;
#             seeds: the mingw-w64 drivers of tests/unit/drv.mk, stripped
#             of their COFF symbol table; `make fuzz-pe-seeds` rebuilds
#             them).
# The analysis: every source but the command line (main.c) and the
# libcrypto signature check (sigverify.c), as in vbs-drvcheck.mk.
DC_FUZZ_DEPS := $(filter-out %/main.c %/sigverify.c,$(wildcard tools/vbs-drvcheck/*.c)) $(LIB_SRCS)
# (vbs-drvcheck.mk, which sets DC_HDRS, is read after this file.)
DC_FUZZ_HDRS := $(wildcard tools/vbs-drvcheck/*.h) $(LIB_HDRS)

$(B)/fuzz/fuzz_elf $(B)/fuzz/fuzz_pe: $(B)/fuzz/%: tests/fuzz/%.c $(DC_FUZZ_DEPS) $(DC_FUZZ_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_FLAGS) -Itools/vbs-drvcheck -o $@ $< $(DC_FUZZ_DEPS) -lcapstone

FUZZERS += $(B)/fuzz/fuzz_elf $(B)/fuzz/fuzz_pe

# The seed corpus of fuzz_pe: one driver per PE rule, and a clean one.
# SOURCE_DATE_EPOCH=0: strip writes TimeDateStamp 0 instead of the time
# of the run (and the linker's), so that the seeds are reproducible.
FUZZ_PE_SEEDS := pe_clean pe_align pe_wx pe_xpool pe_nxpool pe_varpool \
	pe_pool2 pe_pool2nx pe_xmap pe_reloc32 pe_relocx pe_stripped
FUZZ_PE_CORPUS := tests/fuzz/corpus/fuzz_pe

.PHONY: fuzz-pe-seeds
fuzz-pe-seeds:
	$(MAKE) --no-print-directory $(addprefix $(DRVF)/,$(addsuffix .sys,$(FUZZ_PE_SEEDS)))
	rm -rf $(FUZZ_PE_CORPUS) && mkdir -p $(FUZZ_PE_CORPUS)
	for s in $(FUZZ_PE_SEEDS); do \
		SOURCE_DATE_EPOCH=0 x86_64-w64-mingw32-strip \
			-o $(FUZZ_PE_CORPUS)/$$s.sys $(DRVF)/$$s.sys || exit 1; \
	done
	chmod 644 $(FUZZ_PE_CORPUS)/*.sys
