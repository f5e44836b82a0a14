# Unit tests of the hypervisor's pure logic (cmocka, ASan/UBSan): the
# instruction length decoder, CPUID shaping, hypercall validation, NPT
# entry builders / split / permissions, the guest page-table walk, ICR
# decoding and the INIT/SIPI planner, the hidden-memory test, exceptions
# raised during event delivery (the #DF rules). The same sources build
# into hv.bin (hv/hv.mk).
HV_UNIT_SRC_hv_insn := hv/arch/x86/insn.c
HV_UNIT_SRC_hv_cpuid := hv/arch/x86/cpuid_shape.c
HV_UNIT_SRC_hv_hypercall := hv/core/hypercall.c
HV_UNIT_SRC_hv_npt := hv/arch/x86/svm/npt.c
HV_UNIT_SRC_hv_walk := hv/arch/x86/guest_walk.c
HV_UNIT_SRC_hv_apic := hv/arch/x86/apic_icr.c
HV_UNIT_SRC_hv_hidden := hv/arch/x86/svm/hidden.c
HV_UNIT_SRC_hv_event := hv/arch/x86/event.c
HV_UNIT := hv_insn hv_cpuid hv_hypercall hv_npt hv_walk hv_apic hv_hidden hv_event

define hv_unit
$(B)/tests/unit/$(1): tests/unit/$(1).c $(HV_UNIT_SRC_$(1)) $(HV_HDRS)
	@mkdir -p $$(@D)
	$$(CC) $$(HOST_CFLAGS) -O1 $$(SAN_FLAGS) -Ihv -Wno-missing-prototypes \
		tests/unit/$(1).c $(HV_UNIT_SRC_$(1)) -lcmocka -o $$@
endef
$(foreach t,$(HV_UNIT),$(eval $(call hv_unit,$(t))))
# hidden.c is lib/base/range.h's first user in the hypervisor.
$(B)/tests/unit/hv_hidden: lib/base/range.h

UNIT_TESTS += $(addprefix $(B)/tests/unit/,$(HV_UNIT))
