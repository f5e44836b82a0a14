// SPDX-License-Identifier: MIT
/*
 * Load the boot policy from the ESP: \EFI\OpenVBS\policy.txt and its
 * detached signature policy.txt.sig, verified with the public key built
 * into the loader, parsed by lib/boot/policy.c. Anything wrong gives a
 * clear message and the built-in strictest default (docs/boot.md
 * "Policy"): the system is never silently booted unprotected.
 */
#include "boot/loader.h"
#include "boot/verify.h"
#include "pubkey.h" /* generated in $(B)/boot by vbs-sign pubkey-header */

#define POLICY_PATH "\\EFI\\OpenVBS\\policy.txt"
#define POLICY_SIG_PATH "\\EFI\\OpenVBS\\policy.txt.sig"

static const uint8_t builtin_pubkey[VBS_PUBKEY_LEN] = VBS_PUBKEY_BYTES;

static void use_default(struct vbs_policy *pol, uint8_t *source,
			uint8_t why, const char *msg)
{
	vbs_policy_default(pol);
	*source = why;
	con_printf("OpenVBS: POLICY: %s\n", msg);
	con_puts("OpenVBS: POLICY: using the built-in default: profile=oem, "
		 "on_missing=halt, kernel=\\vmlinuz, initrd=\\initrd.img\n");
}

void policy_load(struct vbs_policy *pol, uint8_t *source,
		 struct vbs_blob *raw)
{
	struct vbs_policy_error err;
	struct vbs_blob sig;
	enum vbs_verify v;
	const char *why;
	EFI_STATUS st;

	st = esp_read(POLICY_PATH, VBS_POLICY_MAX_SIZE, raw);
	if (EFI_ERROR(st))
		return use_default(pol, source, VBS_POLICY_DEFAULT_MISSING,
				   st == EFI_BAD_BUFFER_SIZE ?
				   POLICY_PATH " larger than 8192 bytes" :
				   st == EFI_NOT_FOUND ?
				   "no " POLICY_PATH " on the ESP" :
				   POLICY_PATH " unreadable");
	st = esp_read(POLICY_SIG_PATH, 4096, &sig);
	if (EFI_ERROR(st))
		return use_default(pol, source, VBS_POLICY_DEFAULT_UNSIGNED,
				   POLICY_PATH " is not signed (no policy.txt.sig)");
	v = vbs_verify_detached(builtin_pubkey, VBS_SIG_KIND_POLICY, sig.data,
				sig.len, raw->data, raw->len, &why);
	blob_free(&sig);
	if (v != VBS_VERIFY_OK) {
		con_printf("OpenVBS: POLICY: %s: signature REJECTED: %s "
			   "(built-in key %s)\n", POLICY_SIG_PATH, why,
			   VBS_PUBKEY_ID);
		return use_default(pol, source, VBS_POLICY_DEFAULT_BAD_SIG,
				   "policy.txt ignored: bad signature");
	}
	if (vbs_policy_parse(raw->data, raw->len, pol, &err) != 0) {
		con_printf("OpenVBS: POLICY: %s line %u: %s\n", POLICY_PATH,
			   err.line, err.msg);
		return use_default(pol, source, VBS_POLICY_DEFAULT_MALFORMED,
				   "policy.txt ignored: malformed");
	}
	*source = VBS_POLICY_SIGNED;
	con_printf("OpenVBS: POLICY: signed policy accepted (key %s): "
		   "profile=%s on_missing=%s\n", VBS_PUBKEY_ID,
		   vbs_profile_name((uint8_t)pol->profile),
		   vbs_on_missing_name(pol->on_missing));
}
