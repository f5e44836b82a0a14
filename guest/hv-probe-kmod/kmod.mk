# guest/hv-probe-kmod: a test-only kernel module (CPL-0 hypercall and SVM
# instruction probes for tests/integration/hv.sh), built against the
# headers scripts/fetch-kernel unpacked for the guest kernel. Defined only
# once those exist (scripts/testbed fetches them on its first run), and
# built only on request (tests/integration/hv.sh makes it), not by
# `make all`: kbuild is the guest kernel's, not part of the build host's
# tool chain. It goes to $(B)/guest/bin with the static programs, so
# scripts/testbed installs it (in /usr/bin) without a change of its own.
HV_KMOD_SRC := $(realpath $(B)/kernel/current)/root/usr/src
HV_KMOD_OBJ := $(firstword $(wildcard $(HV_KMOD_SRC)/linux-headers-*-amd64))
HV_KMOD_COMMON := $(firstword $(wildcard $(HV_KMOD_SRC)/linux-headers-*-common))

ifneq ($(and $(HV_KMOD_OBJ),$(HV_KMOD_COMMON)),)
$(B)/guest/bin/hv_probe_kmod.ko: guest/hv-probe-kmod/hv_probe_kmod.c \
		guest/hv-probe-kmod/Kbuild include/vbs/hypercall.h \
		include/vbs/sk_abi.h guest/linux/compat/stdint.h
	@rm -rf $(B)/guest/kmod && mkdir -p $(B)/guest/kmod/compat $(@D)
	cp guest/hv-probe-kmod/hv_probe_kmod.c guest/hv-probe-kmod/Kbuild $(B)/guest/kmod/
	cp guest/linux/compat/stdint.h $(B)/guest/kmod/compat/
	$(MAKE) --no-print-directory -s -C $(HV_KMOD_OBJ) \
		-f $(HV_KMOD_COMMON)/Makefile M=$(abspath $(B)/guest/kmod) \
		VBS_INCLUDE=$(abspath include) modules
	cp $(B)/guest/kmod/hv_probe_kmod.ko $@

.PHONY: hv-probe-kmod
hv-probe-kmod: $(B)/guest/bin/hv_probe_kmod.ko
endif
