# lib/: freestanding libraries, built three ways from the same sources:
#   $(B)/fs/libvbs.a    freestanding (the proof that no libc is needed; the
#                       loader, hypervisor and secure kernel link this one)
#   $(B)/efi/libvbs.a   freestanding, position-independent, MS ABI calls
#                       allowed: for the UEFI loader (gnu-efi builds -fpic)
#   $(B)/host/libvbs.a  for host tools
#   $(B)/san/libvbs.a   with ASan/UBSan, for unit tests
# Not lib/image/: memcpy & co. themselves, only for the hypervisor and
# secure-kernel images (hv/hv.mk, sk/sk.mk); in anything linked beside a C
# library they would replace its own.
LIB_SRCS := $(wildcard lib/base/*.c lib/fw/*.c lib/boot/*.c lib/fmt/*.c)
LIB_HDRS := $(wildcard lib/base/*.h lib/fw/*.h lib/boot/*.h lib/fmt/*.h include/vbs/*.h)

define lib_variant
$(B)/$(1)/lib/%.o: lib/%.c $(LIB_HDRS)
	@mkdir -p $$(@D)
	$$(CC) $(2) -c $$< -o $$@
$(B)/$(1)/libvbs.a: $(patsubst lib/%.c,$(B)/$(1)/lib/%.o,$(LIB_SRCS))
	@rm -f $$@
	ar rcs $$@ $$^
endef
$(eval $(call lib_variant,fs,$(FREESTANDING_CFLAGS)))
$(eval $(call lib_variant,efi,$(EFI_CFLAGS)))
$(eval $(call lib_variant,host,$(HOST_CFLAGS)))
$(eval $(call lib_variant,san,$(HOST_CFLAGS) -O1 $(SAN_FLAGS)))

# No undefined symbol may be left in the freestanding archive other than
# those it defines itself: that is what "no libc" means in practice.
$(B)/fs/libvbs.ok: $(B)/fs/libvbs.a scripts/check-freestanding
	scripts/check-freestanding $<
	@touch $@

ALL += $(B)/fs/libvbs.ok $(B)/host/libvbs.a
