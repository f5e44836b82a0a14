// SPDX-License-Identifier: MIT
/*
 * Shutdown (exit 0x7f): the guest triple-faulted. Log its state and reset
 * the machine (APM2 §15.13 "Miscellaneous Intercepts": with the intercept
 * the shutdown does not happen in the host, whose state is intact).
 */
#include "arch/x86/svm/svm.h"

enum hv_exit_action svm_exit_shutdown(struct hv_vcpu *v,
				      const struct svm_exit_info *ei)
{
	(void)ei;
	hv_log(v->cpu, "guest SHUTDOWN (triple fault): state follows");
	vcpu_dump(v);
	hv_panic(v->cpu, "guest shutdown");
}
