# guest/vbsctl: the guest control tool, static (the initramfs has no
# shared libraries); scripts/testbed installs GUEST_BINS in /usr/bin.
$(B)/guest/bin/vbsctl: guest/vbsctl/vbsctl.c include/vbs/cpuid.h include/vbs/hypercall.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -static -o $@ $<

# hv-probe: the guest side of tests/integration/hv.sh (SVM instructions
# must raise #UD, prefixed CPUID must resume after itself, malformed
# hypercalls from ring 0 are tested by the module-free paths only).
$(B)/guest/bin/hv-probe: guest/vbsctl/hv-probe.c include/vbs/cpuid.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -static -o $@ $<

GUEST_BINS += $(B)/guest/bin/vbsctl $(B)/guest/bin/hv-probe
