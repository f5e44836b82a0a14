# guest/bench: vbs-bench, the guest side of scripts/bench
# (docs/performance.md); static like every guest program (the initramfs
# has no shared libraries). It compiles in vbsctl's counter reader from
# guest/vbsctl/vbsctl.c.
$(B)/guest/bin/vbs-bench: guest/bench/vbs-bench.c guest/vbsctl/vbsctl.c \
		$(wildcard guest/vbsctl/vbsctl.h) include/vbs/cpuid.h \
		include/vbs/hypercall.h include/vbs/sk_abi.h include/vbs/vbs_ioctl.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -static -o $@ $<

GUEST_BINS += $(B)/guest/bin/vbs-bench
