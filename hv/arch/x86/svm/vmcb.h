/* SPDX-License-Identifier: MIT */
/*
 * The VMCB: APM2 Appendix B "Layout of VMCB", Table B-1 "VMCB Layout,
 * Control Area" and Table B-2 "VMCB Layout, State Save Area". Packed
 * structs, reserved fields named by offset, every field's offset asserted
 * (style.md §3). This test bed has no VMCB clean bits (VMCB_CLEAN stays 0,
 * everything is reloaded on each VMRUN).
 */
#ifndef HV_SVM_VMCB_H
#define HV_SVM_VMCB_H

#include <stddef.h>
#include <stdint.h>

struct __attribute__((packed)) vmcb_seg {
	uint16_t selector;
	uint16_t attrib;
	uint32_t limit;
	uint64_t base;
};

struct __attribute__((packed)) vmcb_control {
	uint32_t intercept_cr;          /* 0x000 */
	uint32_t intercept_dr;          /* 0x004 */
	uint32_t intercept_exceptions;  /* 0x008 */
	uint32_t intercept_misc1;       /* 0x00c vector 3 */
	uint32_t intercept_misc2;       /* 0x010 vector 4 */
	uint32_t intercept_misc3;       /* 0x014 vector 5 */
	uint8_t reserved_0x018[0x03c - 0x018];
	uint16_t pause_filter_thresh;   /* 0x03c */
	uint16_t pause_filter_count;    /* 0x03e */
	uint64_t iopm_base_pa;          /* 0x040 */
	uint64_t msrpm_base_pa;         /* 0x048 */
	uint64_t tsc_offset;            /* 0x050 */
	uint32_t guest_asid;            /* 0x058 */
	uint8_t tlb_control;            /* 0x05c */
	uint8_t reserved_0x05d[3];
	uint64_t int_ctl;               /* 0x060 */
	uint64_t int_state;             /* 0x068 bit 0: interrupt shadow */
	uint64_t exit_code;             /* 0x070 */
	uint64_t exit_info_1;           /* 0x078 */
	uint64_t exit_info_2;           /* 0x080 */
	uint64_t exit_int_info;         /* 0x088 */
	uint64_t np_enable;             /* 0x090 bit 0: nested paging */
	uint64_t avic_apic_bar;         /* 0x098 */
	uint64_t ghcb_pa;               /* 0x0a0 */
	uint64_t event_inj;             /* 0x0a8 */
	uint64_t n_cr3;                 /* 0x0b0 */
	uint64_t virt_ext;              /* 0x0b8 LBR virtualization etc. */
	uint32_t vmcb_clean;            /* 0x0c0 */
	uint32_t reserved_0x0c4;
	uint64_t next_rip;              /* 0x0c8 */
	uint8_t insn_len;               /* 0x0d0 */
	uint8_t insn_bytes[15];         /* 0x0d1 */
	uint8_t reserved_0x0e0[0x400 - 0x0e0];
};

struct __attribute__((packed)) vmcb_save {
	struct vmcb_seg es;             /* 0x400 */
	struct vmcb_seg cs;             /* 0x410 */
	struct vmcb_seg ss;             /* 0x420 */
	struct vmcb_seg ds;             /* 0x430 */
	struct vmcb_seg fs;             /* 0x440 */
	struct vmcb_seg gs;             /* 0x450 */
	struct vmcb_seg gdtr;           /* 0x460 */
	struct vmcb_seg ldtr;           /* 0x470 */
	struct vmcb_seg idtr;           /* 0x480 */
	struct vmcb_seg tr;             /* 0x490 */
	uint8_t reserved_0x4a0[0x4cb - 0x4a0];
	uint8_t cpl;                    /* 0x4cb */
	uint32_t reserved_0x4cc;
	uint64_t efer;                  /* 0x4d0 */
	uint8_t reserved_0x4d8[0x548 - 0x4d8];
	uint64_t cr4;                   /* 0x548 */
	uint64_t cr3;                   /* 0x550 */
	uint64_t cr0;                   /* 0x558 */
	uint64_t dr7;                   /* 0x560 */
	uint64_t dr6;                   /* 0x568 */
	uint64_t rflags;                /* 0x570 */
	uint64_t rip;                   /* 0x578 */
	uint8_t reserved_0x580[0x5d8 - 0x580];
	uint64_t rsp;                   /* 0x5d8 */
	uint64_t s_cet;                 /* 0x5e0 */
	uint64_t ssp;                   /* 0x5e8 */
	uint64_t isst_addr;             /* 0x5f0 */
	uint64_t rax;                   /* 0x5f8 */
	uint64_t star;                  /* 0x600 */
	uint64_t lstar;                 /* 0x608 */
	uint64_t cstar;                 /* 0x610 */
	uint64_t sfmask;                /* 0x618 */
	uint64_t kernel_gs_base;        /* 0x620 */
	uint64_t sysenter_cs;           /* 0x628 */
	uint64_t sysenter_esp;          /* 0x630 */
	uint64_t sysenter_eip;          /* 0x638 */
	uint64_t cr2;                   /* 0x640 */
	uint8_t reserved_0x648[0x668 - 0x648];
	uint64_t g_pat;                 /* 0x668 */
	uint64_t dbgctl;                /* 0x670 */
	uint64_t br_from;               /* 0x678 */
	uint64_t br_to;                 /* 0x680 */
	uint64_t last_excp_from;        /* 0x688 */
	uint64_t last_excp_to;          /* 0x690 */
	uint8_t reserved_0x698[0x1000 - 0x698];
};

struct __attribute__((packed, aligned(4096))) vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
};

#define HW_OFF(t, f, o) _Static_assert(offsetof(t, f) == (o), #t "." #f)
#define VMCB_C(f, o) HW_OFF(struct vmcb, control.f, o)
#define VMCB_S(f, o) HW_OFF(struct vmcb, save.f, o)
VMCB_C(intercept_cr, 0x000); VMCB_C(intercept_dr, 0x004);
VMCB_C(intercept_exceptions, 0x008); VMCB_C(intercept_misc1, 0x00c);
VMCB_C(intercept_misc2, 0x010); VMCB_C(intercept_misc3, 0x014);
VMCB_C(pause_filter_thresh, 0x03c); VMCB_C(pause_filter_count, 0x03e);
VMCB_C(iopm_base_pa, 0x040); VMCB_C(msrpm_base_pa, 0x048);
VMCB_C(tsc_offset, 0x050); VMCB_C(guest_asid, 0x058);
VMCB_C(tlb_control, 0x05c); VMCB_C(int_ctl, 0x060);
VMCB_C(int_state, 0x068); VMCB_C(exit_code, 0x070);
VMCB_C(exit_info_1, 0x078); VMCB_C(exit_info_2, 0x080);
VMCB_C(exit_int_info, 0x088); VMCB_C(np_enable, 0x090);
VMCB_C(avic_apic_bar, 0x098); VMCB_C(ghcb_pa, 0x0a0);
VMCB_C(event_inj, 0x0a8); VMCB_C(n_cr3, 0x0b0); VMCB_C(virt_ext, 0x0b8);
VMCB_C(vmcb_clean, 0x0c0); VMCB_C(next_rip, 0x0c8);
VMCB_C(insn_len, 0x0d0); VMCB_C(insn_bytes, 0x0d1);
VMCB_S(es, 0x400); VMCB_S(cs, 0x410); VMCB_S(ss, 0x420); VMCB_S(ds, 0x430);
VMCB_S(fs, 0x440); VMCB_S(gs, 0x450); VMCB_S(gdtr, 0x460);
VMCB_S(ldtr, 0x470); VMCB_S(idtr, 0x480); VMCB_S(tr, 0x490);
VMCB_S(cpl, 0x4cb); VMCB_S(efer, 0x4d0); VMCB_S(cr4, 0x548);
VMCB_S(cr3, 0x550); VMCB_S(cr0, 0x558); VMCB_S(dr7, 0x560);
VMCB_S(dr6, 0x568); VMCB_S(rflags, 0x570); VMCB_S(rip, 0x578);
VMCB_S(rsp, 0x5d8); VMCB_S(s_cet, 0x5e0); VMCB_S(ssp, 0x5e8);
VMCB_S(isst_addr, 0x5f0); VMCB_S(rax, 0x5f8); VMCB_S(star, 0x600);
VMCB_S(lstar, 0x608); VMCB_S(cstar, 0x610); VMCB_S(sfmask, 0x618);
VMCB_S(kernel_gs_base, 0x620); VMCB_S(sysenter_cs, 0x628);
VMCB_S(sysenter_esp, 0x630); VMCB_S(sysenter_eip, 0x638);
VMCB_S(cr2, 0x640); VMCB_S(g_pat, 0x668); VMCB_S(dbgctl, 0x670);
VMCB_S(br_from, 0x678); VMCB_S(br_to, 0x680);
VMCB_S(last_excp_from, 0x688); VMCB_S(last_excp_to, 0x690);
_Static_assert(sizeof(struct vmcb) == 4096, "VMCB is one page");

/* Intercept vector 3 (0x00c), APM2 Table B-1. */
#define SVM_INTERCEPT_INTR     (1u << 0)
#define SVM_INTERCEPT_NMI      (1u << 1)
#define SVM_INTERCEPT_SMI      (1u << 2)
#define SVM_INTERCEPT_VINTR    (1u << 4)
#define SVM_INTERCEPT_CPUID    (1u << 18)
#define SVM_INTERCEPT_INVLPGA  (1u << 26)
#define SVM_INTERCEPT_MSR_PROT (1u << 28)
#define SVM_INTERCEPT_SHUTDOWN (1u << 31)
/* Intercept vector 4 (0x010). */
#define SVM_INTERCEPT_VMRUN    (1u << 0)
#define SVM_INTERCEPT_VMMCALL  (1u << 1)
#define SVM_INTERCEPT_VMLOAD   (1u << 2)
#define SVM_INTERCEPT_VMSAVE   (1u << 3)
#define SVM_INTERCEPT_STGI     (1u << 4)
#define SVM_INTERCEPT_CLGI     (1u << 5)
#define SVM_INTERCEPT_SKINIT   (1u << 6)

/* Exit codes, APM2 Appendix C "SVM Intercept Exit Codes". */
#define SVM_EXIT_EXCP_GP  0x04d /* 0x40 + vector 13 */
#define SVM_EXIT_EXCP_SX  0x05e /* 0x40 + vector 30 */
#define SVM_EXIT_INTR     0x060
#define SVM_EXIT_NMI      0x061
#define SVM_EXIT_SMI      0x062
#define SVM_EXIT_INIT     0x063
#define SVM_EXIT_VINTR    0x064
#define SVM_EXIT_CPUID    0x072
#define SVM_EXIT_INVLPGA  0x07a
#define SVM_EXIT_MSR      0x07c
#define SVM_EXIT_SHUTDOWN 0x07f
#define SVM_EXIT_VMRUN    0x080
#define SVM_EXIT_VMMCALL  0x081
#define SVM_EXIT_VMLOAD   0x082
#define SVM_EXIT_VMSAVE   0x083
#define SVM_EXIT_STGI     0x084
#define SVM_EXIT_CLGI     0x085
#define SVM_EXIT_SKINIT   0x086
#define SVM_EXIT_NPF      0x400
/* VMEXIT_INVALID is -1; QEMU stores it as 0x00000000ffffffff
 * (docs/testbed.md): compare the low 32 bits. */
#define SVM_EXIT_INVALID_LO 0xffffffffu

/* APM2 §15.20 "Event Injection": EVENTINJ fields. */
#define SVM_EVTINJ_VALID   (1ull << 31)
#define SVM_EVTINJ_EV      (1ull << 11)
#define SVM_EVTINJ_VEC_MASK 0xffull
#define SVM_EVTINJ_TYPE_MASK (7ull << 8)
#define SVM_EVTINJ_TYPE_INTR (0ull << 8) /* external or virtual interrupt */
#define SVM_EVTINJ_TYPE_NMI (2ull << 8)
#define SVM_EVTINJ_TYPE_EXC (3ull << 8)  /* exception (fault or trap) */
#define SVM_EVTINJ_TYPE_SOFT (4ull << 8) /* software interrupt (INT n) */

/* VMCB 0x060 V_INTR fields (APM2 Table B-1; §15.21.4 "Virtual Interrupt
 * Control"): a virtual interrupt request, its priority, ignore V_TPR. */
#define SVM_INT_CTL_V_IRQ (1ull << 8)
#define SVM_INT_CTL_V_INTR_PRIO_SHIFT 16
#define SVM_INT_CTL_V_INTR_PRIO_MASK (0xfull << 16)
#define SVM_INT_CTL_V_IGN_TPR (1ull << 20)

#endif
