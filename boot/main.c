// SPDX-License-Identifier: MIT
/*
 * vbsboot.efi: the OpenVBS loader (docs/boot.md "Flow").
 *
 *   1. policy: \EFI\OpenVBS\policy.txt, signature checked, else default
 *   2. platform: R1-R10 judged in firmware, printed, OpenVbsReport set
 *   3. decide: verdict vs the policy's on_missing
 *   4. read and measure the kernel, initrd and command line
 *   5. verify, measure and start the hypervisor on this CPU (boot/hv.c);
 *      from then on this code runs as its guest
 *      -- later issues: the secure kernel, here --
 *   6. serve the initrd (LoadFile2) and start the kernel
 */
#include "boot/loader.h"
#include "boot/pe.h"

#define KERNEL_MAX (256u << 20)
#define INITRD_MAX (1024u << 20)

/* PCR use (docs/boot.md "Measurements"). */
#define PCR_CONFIG 12u /* policy, kernel command line */
#define PCR_IMAGES 11u /* kernel, initrd, hypervisor (boot/hv.c); later SK */

static struct vbs_boot_report report;

static EFI_STATUS stop(const char *why)
{
	con_printf("\nOpenVBS: HALT: %s\n", why);
	con_puts("OpenVBS: the OS is not started; powering off in 5 s.\n");
	BS->Stall(5 * 1000 * 1000);
	RT->ResetSystem(EfiResetShutdown, EFI_ABORTED, 0, NULL);
	return EFI_ABORTED;
}

static void measure_policy(const struct vbs_blob *raw, uint8_t source)
{
	static const char builtin[] = "openvbs-policy=builtin-default";

	if (source == VBS_POLICY_SIGNED)
		measure(PCR_CONFIG, raw->data, raw->len, "OpenVBS policy");
	else
		measure(PCR_CONFIG, builtin, sizeof(builtin) - 1,
			"OpenVBS built-in default policy");
}

static uint8_t decide(const struct vbs_policy *pol)
{
	if (report.verdict == VBS_VERDICT_READY)
		return VBS_ACTION_BOOT;
	return pol->on_missing == VBS_ON_MISSING_BOOT_UNPROTECTED ?
	       VBS_ACTION_BOOT_UNPROTECTED : VBS_ACTION_HALT;
}

static EFI_STATUS read_image(const char *what, const char *path, size_t max,
			     struct vbs_blob *out)
{
	EFI_STATUS st = esp_read(path, max, out);

	if (st == EFI_NOT_FOUND)
		con_printf("OpenVBS: ERROR: %s %s not found on the ESP\n", what,
			   path);
	else if (EFI_ERROR(st))
		con_printf("OpenVBS: ERROR: reading %s %s failed (0x%lx)\n",
			   what, path, (uint64_t)st);
	else
		con_printf("OpenVBS: read %s %s (%lu bytes)\n", what, path,
			   (uint64_t)out->len);
	return st;
}

/*
 * A truncated or corrupt kernel is named as such before LoadImage (whose
 * status for it is firmware-specific: OVMF says EFI_ACCESS_DENIED).
 */
static bool kernel_whole(const char *path, const struct vbs_blob *kernel)
{
	struct vbs_pe_result pe;

	if (vbs_pe_check(kernel->data, kernel->len, &pe) == 0)
		return true;
	con_printf("OpenVBS: ERROR: kernel %s: %s", path,
		   vbs_pe_error_msg(pe.error));
	if (pe.error == VBS_PE_SECTION_TRUNC)
		con_printf(" (section %u ends at byte %lu, the file has %lu)",
			   pe.section, pe.needed, pe.have);
	else if (pe.error == VBS_PE_HEADERS_TRUNC)
		con_printf(" (headers end at byte %lu, the file has %lu)",
			   pe.needed, pe.have);
	con_puts("\n");
	return false;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	static struct vbs_policy pol;
	struct vbs_blob policy_raw = { 0 }, kernel = { 0 }, initrd = { 0 };
	uint8_t source;
	bool tpm;

	InitializeLib(image, systab);
	cpu_setup_canary(); /* before any BearSSL code (boot/cpu.c) */
	con_puts("\nOpenVBS loader " VBS_LOADER_VERSION "\n");
	if (EFI_ERROR(esp_open(image)))
		return stop("cannot open the ESP the loader was started from");

	policy_load(&pol, &source, &policy_raw);
	tpm = measure_init();
	if (tpm)
		measure_policy(&policy_raw, source);

	report.profile = (uint8_t)pol.profile;
	report.policy_source = source;
	vbs_field_set(report.loader_version, sizeof(report.loader_version),
		      VBS_LOADER_VERSION);
	platform_report(&report);
	report.action = decide(&pol);
	if (report.action == VBS_ACTION_HALT)
		return stop("a property this policy requires is missing "
			    "(on_missing=halt)");
	if (report.action == VBS_ACTION_BOOT_UNPROTECTED)
		con_banner("required properties MISSING: booting UNPROTECTED "
			   "(policy on_missing=boot-unprotected)");

	if (EFI_ERROR(read_image("kernel", pol.kernel, KERNEL_MAX, &kernel)) ||
	    !kernel_whole(pol.kernel, &kernel))
		return stop("no usable kernel");
	if (pol.initrd[0] &&
	    EFI_ERROR(read_image("initrd", pol.initrd, INITRD_MAX, &initrd)))
		return stop("no usable initrd");
	if (tpm) {
		measure(PCR_IMAGES, kernel.data, kernel.len,
			"OpenVBS kernel image");
		if (initrd.data)
			measure(PCR_IMAGES, initrd.data, initrd.len,
				"OpenVBS initrd");
		measure(PCR_CONFIG, pol.cmdline, vbs_strlen(pol.cmdline),
			"OpenVBS kernel command line");
		report.flags |= VBS_REPORT_F_MEASURED;
	} else {
		con_puts("OpenVBS: WARNING: no TPM: nothing is measured\n");
	}

	if (hv_start(&pol, tpm))
		report.flags |= VBS_REPORT_F_HYPERVISOR;
	else
		con_banner("no hypervisor running: the OS runs UNPROTECTED");
	platform_publish(&report);
	if (initrd.data && EFI_ERROR(initrd_install(&initrd)))
		return stop("cannot install the initrd LoadFile2 protocol");
	kernel_start(image, &kernel, pol.cmdline);
	initrd_uninstall();
	return stop("the kernel did not start");
}
