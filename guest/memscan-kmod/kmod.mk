# guest/memscan-kmod: a test-only kernel module that scans all of VTL0's
# physical memory for a masked byte pattern (tests/integration/vtl1-secret.sh;
# its parameters and output are in memscan.c's header comment). Built like
# guest/hv-probe-kmod: with kbuild against the headers scripts/fetch-kernel
# unpacked for the guest kernel, defined only once those exist, and only on
# request (the test makes it), not by `make all`. It goes to
# $(B)/guest/bin, so scripts/testbed installs it in the guest's /usr/bin.
MEMSCAN_KMOD_SRC := $(realpath $(B)/kernel/current)/root/usr/src
MEMSCAN_KMOD_OBJ := $(firstword $(wildcard $(MEMSCAN_KMOD_SRC)/linux-headers-*-amd64))
MEMSCAN_KMOD_COMMON := $(firstword $(wildcard $(MEMSCAN_KMOD_SRC)/linux-headers-*-common))

ifneq ($(and $(MEMSCAN_KMOD_OBJ),$(MEMSCAN_KMOD_COMMON)),)
$(B)/guest/bin/memscan.ko: guest/memscan-kmod/memscan.c guest/memscan-kmod/Kbuild
	@rm -rf $(B)/guest/memscan-kmod && mkdir -p $(B)/guest/memscan-kmod $(@D)
	cp guest/memscan-kmod/memscan.c guest/memscan-kmod/Kbuild $(B)/guest/memscan-kmod/
	$(MAKE) --no-print-directory -s -C $(MEMSCAN_KMOD_OBJ) \
		-f $(MEMSCAN_KMOD_COMMON)/Makefile \
		M=$(abspath $(B)/guest/memscan-kmod) modules
	cp $(B)/guest/memscan-kmod/memscan.ko $@

.PHONY: memscan-kmod
memscan-kmod: $(B)/guest/bin/memscan.ko
endif
