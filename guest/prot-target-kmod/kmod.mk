# guest/prot-target-kmod: a test-only kernel module with pages VTL1
# protects (tests/integration/vtl1-protect.sh), built against the guest
# kernel's headers like guest/hv-probe-kmod (see its kmod.mk): only once
# those exist, and only on request.
PROT_TARGET_DIR := $(B)/guest/kmod-prot-target

ifneq ($(and $(HV_KMOD_OBJ),$(HV_KMOD_COMMON)),)
$(B)/guest/bin/prot_target_kmod.ko: guest/prot-target-kmod/prot_target_kmod.c \
		guest/prot-target-kmod/Kbuild
	@rm -rf $(PROT_TARGET_DIR) && mkdir -p $(PROT_TARGET_DIR) $(@D)
	cp $^ $(PROT_TARGET_DIR)/
	$(MAKE) --no-print-directory -s -C $(HV_KMOD_OBJ) \
		-f $(HV_KMOD_COMMON)/Makefile M=$(abspath $(PROT_TARGET_DIR)) modules
	cp $(PROT_TARGET_DIR)/prot_target_kmod.ko $@

.PHONY: prot-target-kmod
prot-target-kmod: $(B)/guest/bin/prot_target_kmod.ko
endif
