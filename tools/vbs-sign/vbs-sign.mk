# vbs-sign: the signing key and detached signatures (docs/boot.md).
# Links the loader's own verifier (boot/verify.c) so that host and loader
# share one signature format and one verification path.
VBS_SIGN := $(B)/host/vbs-sign
VBS_SIGN_SRCS := tools/vbs-sign/vbs-sign.c boot/verify.c

$(VBS_SIGN): $(VBS_SIGN_SRCS) boot/verify.h $(B)/host/libvbs.a
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -I. -isystem /usr/include/bearssl $(VBS_SIGN_SRCS) \
		$(B)/host/libvbs.a -lbearssl -o $@

ALL += $(VBS_SIGN)
