# Unit tests of the secure kernel's pure modules (cmocka, ASan/UBSan):
# allocator, event log, vault (BearSSL; signatures checked with OpenSSL's
# libcrypto, host side only), dispatcher, the TPM's CRB driver over a
# simulated register page (sk_tpm), the entropy pool against a reference
# HMAC_DRBG (sk_entropy). The same sources build into
# sk.bin (sk/sk.mk).
SK_UNIT_SRC_sk_alloc := sk/core/alloc.c sk/core/scrub.c
SK_UNIT_SRC_sk_evlog := sk/core/evlog.c sk/core/scrub.c
SK_UNIT_SRC_sk_vault := sk/services/vault.c sk/core/scrub.c sk/arch/x86/entropy.c \
	sk/core/entropy_pool.c
SK_UNIT_SRC_sk_dispatch := sk/services/dispatch.c sk/services/vault.c \
	sk/core/evlog.c sk/core/scrub.c sk/services/protect.c sk/core/entropy_pool.c \
	sk/services/modules.c
SK_UNIT_SRC_sk_protect := sk/services/protect.c
SK_UNIT_SRC_sk_modules := sk/services/modules.c
SK_UNIT_SRC_sk_tpm := sk/arch/x86/tpm_crb.c
SK_UNIT_SRC_sk_paging := sk/core/paging.c sk/core/trap.c
SK_UNIT_SRC_sk_entropy := sk/core/entropy_pool.c sk/core/scrub.c \
	sk/arch/x86/entropy.c sk/services/vault.c
SK_UNIT_LIBS_sk_vault := -lbearssl -lsodium -lcrypto
SK_UNIT_LIBS_sk_dispatch := -lbearssl -lsodium
SK_UNIT_LIBS_sk_entropy := -lbearssl -lsodium -lcrypto
SK_UNIT := sk_alloc sk_evlog sk_vault sk_dispatch sk_protect sk_tpm sk_entropy sk_modules sk_paging

define sk_unit
$(B)/tests/unit/$(1): tests/unit/$(1).c $(SK_UNIT_SRC_$(1)) $(SK_HDRS)
	@mkdir -p $$(@D)
	$$(CC) $$(HOST_CFLAGS) -O1 $$(SAN_FLAGS) -Isk -Wno-missing-prototypes \
		tests/unit/$(1).c $(SK_UNIT_SRC_$(1)) -lcmocka $(SK_UNIT_LIBS_$(1)) -o $$@
endef
$(foreach t,$(SK_UNIT),$(eval $(call sk_unit,$(t))))

UNIT_TESTS += $(addprefix $(B)/tests/unit/,$(SK_UNIT))
