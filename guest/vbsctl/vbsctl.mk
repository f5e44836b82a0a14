# guest/vbsctl: the guest control tool (docs/vbsctl.md), static (the
# initramfs has no shared libraries); scripts/testbed installs GUEST_BINS
# in /usr/bin. main.c dispatches; vbsctl.c is `vbsctl hv` (guest/bench
# compiles it in); status.c, log.c, vault.c, protect.c talk to /dev/vbs through
# sk_call.c; fmt.c is the pure part (tests/unit/vbsctl_fmt.c).
VBSCTL_SRCS := $(addprefix guest/vbsctl/,main.c vbsctl.c status.c log.c \
	vault.c protect.c sk_call.c fmt.c)
VBSCTL_HDRS := guest/vbsctl/vbsctl.h include/vbs/cpuid.h \
	include/vbs/hypercall.h include/vbs/sk_abi.h include/vbs/vbs_ioctl.h

$(B)/guest/bin/vbsctl: $(VBSCTL_SRCS) $(VBSCTL_HDRS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -static -o $@ $(VBSCTL_SRCS)

# hv-probe: the guest side of tests/integration/hv.sh (SVM instructions
# must raise #UD, prefixed CPUID must resume after itself, malformed
# hypercalls from ring 0 are tested by the module-free paths only).
$(B)/guest/bin/hv-probe: guest/vbsctl/hv-probe.c include/vbs/cpuid.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -static -o $@ $<

GUEST_BINS += $(B)/guest/bin/vbsctl $(B)/guest/bin/hv-probe
