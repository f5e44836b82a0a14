# guest/linux: vbs.ko, the VTL0 driver (docs/abi.md "VTL0 driver
# (vbs.ko)"), built with kbuild against the headers scripts/fetch-kernel
# unpacked for the guest kernel (the pinned Debian linux-headers package).
# Defined only once those exist (scripts/testbed fetches them on its first
# run); from then on it is a guest program like the others: it goes to
# $(B)/guest/bin, scripts/testbed puts it in the initramfs (/usr/bin) and
# the guest's /init loads it when present.
VBS_KO_SRC := $(realpath $(B)/kernel/current)/root/usr/src
VBS_KO_OBJ := $(firstword $(wildcard $(VBS_KO_SRC)/linux-headers-*-amd64))
VBS_KO_COMMON := $(firstword $(wildcard $(VBS_KO_SRC)/linux-headers-*-common))
VBS_KO_DEPS := guest/linux/vbs.c guest/linux/Kbuild guest/linux/compat/stdint.h \
	include/vbs/cpuid.h include/vbs/hypercall.h include/vbs/sk_abi.h \
	include/vbs/vbs_ioctl.h

ifneq ($(and $(VBS_KO_OBJ),$(VBS_KO_COMMON)),)
$(B)/guest/bin/vbs.ko: $(VBS_KO_DEPS)
	@rm -rf $(B)/guest/linux && mkdir -p $(B)/guest/linux/compat $(@D)
	cp guest/linux/vbs.c guest/linux/Kbuild $(B)/guest/linux/
	cp guest/linux/compat/stdint.h $(B)/guest/linux/compat/
	$(MAKE) --no-print-directory -s -C $(VBS_KO_OBJ) \
		-f $(VBS_KO_COMMON)/Makefile M=$(abspath $(B)/guest/linux) \
		VBS_INCLUDE=$(abspath include) modules
	cp $(B)/guest/linux/vbs.ko $@

.PHONY: vbs-ko
vbs-ko: $(B)/guest/bin/vbs.ko
GUEST_BINS += $(B)/guest/bin/vbs.ko
endif

# vbs-ioctl-probe: malformed requests to /dev/vbs, for
# tests/integration/vbs-ko.sh (test guest only).
$(B)/guest/bin/vbs-ioctl-probe: guest/linux/vbs-ioctl-probe.c \
		include/vbs/sk_abi.h include/vbs/vbs_ioctl.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -static -o $@ $<

GUEST_BINS += $(B)/guest/bin/vbs-ioctl-probe

# vtl-xmm: vector registers across VTL calls, for tests/integration/vtl1.sh
# (test guest only).
$(B)/guest/bin/vtl-xmm: guest/linux/vtl-xmm.c include/vbs/sk_abi.h \
		include/vbs/vbs_ioctl.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O2 -static -o $@ $<

GUEST_BINS += $(B)/guest/bin/vtl-xmm
