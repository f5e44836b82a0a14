/* SPDX-License-Identifier: MIT */
/*
 * TPM2_GetRandom over the TPM's Command Response Buffer interface
 * (docs/secure-kernel.md "Entropy"). TCG PC Client Platform TPM Profile
 * (PTP) Specification for TPM 2.0, version 1.05: chapter 6 "TPM
 * Interface", the CRB register space at the fixed locality-0 address
 * (its "Register Space Addresses" / "CRB Interface Registers" tables);
 * TPM 2.0 Library Part 3 §16.1 "TPM2_GetRandom".
 *
 * The driver touches the registers only through struct sk_tpm_io, so the
 * whole protocol (register sequence, polling limits, buffer checks,
 * response parsing) links into a host unit test (tests/unit/sk_tpm.c);
 * sk/arch/x86/tpm_mmio.c supplies the real MMIO accessors in VTL1.
 */
#ifndef SK_ARCH_X86_TPM_CRB_H
#define SK_ARCH_X86_TPM_CRB_H

#include <stddef.h>
#include <stdint.h>

/* PTP "Register Space Addresses": locality 0 of a memory-mapped TPM. */
#define SK_TPM_LOC0_BASE 0xfed40000ull
#define SK_TPM_LOC0_SIZE 0x1000u

/* PTP CRB interface registers, offsets within a locality's 4 KiB page. */
#define SK_CRB_LOC_STATE 0x00       /* TPM_LOC_STATE_x */
#define SK_CRB_LOC_CTRL 0x08        /* TPM_LOC_CTRL_x */
#define SK_CRB_LOC_STS 0x0c         /* TPM_LOC_STS_x */
#define SK_CRB_INTF_ID 0x30         /* TPM_CRB_INTF_ID_x, low 32 bits */
#define SK_CRB_CTRL_REQ 0x40        /* TPM_CRB_CTRL_REQ_x */
#define SK_CRB_CTRL_STS 0x44        /* TPM_CRB_CTRL_STS_x */
#define SK_CRB_CTRL_CANCEL 0x48     /* TPM_CRB_CTRL_CANCEL_x */
#define SK_CRB_CTRL_START 0x4c      /* TPM_CRB_CTRL_START_x */
#define SK_CRB_CMD_SIZE 0x58        /* TPM_CRB_CTRL_CMD_SIZE_x */
#define SK_CRB_CMD_LADDR 0x5c       /* TPM_CRB_CTRL_CMD_LADDR_x */
#define SK_CRB_CMD_HADDR 0x60       /* TPM_CRB_CTRL_CMD_HADDR_x */
#define SK_CRB_RSP_SIZE 0x64        /* TPM_CRB_CTRL_RSP_SIZE_x */
#define SK_CRB_RSP_ADDR_LO 0x68     /* TPM_CRB_CTRL_RSP_ADDR_x, 64 bits */
#define SK_CRB_RSP_ADDR_HI 0x6c
#define SK_CRB_DATA_BUFFER 0x80     /* TPM_CRB_DATA_BUFFER_x */

/* TPM_LOC_STATE_x */
#define SK_CRB_LOC_STATE_ASSIGNED (1u << 1)    /* locAssigned */
#define SK_CRB_LOC_STATE_ACTIVE(v) (((v) >> 2) & 7u) /* activeLocality */
#define SK_CRB_LOC_STATE_VALID (1u << 7)       /* tpmRegValidSts */
/* TPM_LOC_CTRL_x */
#define SK_CRB_LOC_CTRL_REQUEST (1u << 0)      /* requestAccess */
#define SK_CRB_LOC_CTRL_RELINQUISH (1u << 1)   /* relinquish */
/* TPM_LOC_STS_x */
#define SK_CRB_LOC_STS_GRANTED (1u << 0)       /* Granted */
/* TPM_CRB_INTF_ID_x */
#define SK_CRB_INTF_TYPE(v) ((v) & 0xfu)       /* InterfaceType: 1 = CRB */
#define SK_CRB_INTF_VERSION(v) (((v) >> 4) & 0xfu) /* 1 = CRB */
#define SK_CRB_INTF_CAP_CRB (1u << 14)         /* CapCRB */
/* TPM_CRB_CTRL_REQ_x */
#define SK_CRB_REQ_CMD_READY (1u << 0)         /* cmdReady */
#define SK_CRB_REQ_GO_IDLE (1u << 1)           /* goIdle */
/* TPM_CRB_CTRL_STS_x */
#define SK_CRB_STS_FATAL (1u << 0)             /* tpmSts */
#define SK_CRB_STS_IDLE (1u << 1)              /* tpmIdle */
/* TPM_CRB_CTRL_START_x, TPM_CRB_CTRL_CANCEL_x */
#define SK_CRB_START (1u << 0)
#define SK_CRB_CANCEL (1u << 0)

/* PTP "Interface Timeouts", in milliseconds. */
#define SK_TPM_TIMEOUT_A_MS 750u    /* locality request / relinquish */
#define SK_TPM_TIMEOUT_B_MS 2000u   /* command completion, cancel */
#define SK_TPM_TIMEOUT_C_MS 200u    /* cmdReady / goIdle */

/* TPM 2.0 Library Part 2: §6.9 TPM_ST_NO_SESSIONS, §6.5.2
 * TPM_CC_GetRandom. */
#define SK_TPM_ST_NO_SESSIONS 0x8001u
#define SK_TPM_CC_GET_RANDOM 0x0000017bu
#define SK_TPM_HEADER_LEN 10u       /* tag, size, code / response code */
#define SK_TPM_GETRANDOM_CMD_LEN 12u
#define SK_TPM_CHUNK 32u            /* bytes asked for per command (at most
				     * one SHA-256 digest: any TPM gives it) */
#define SK_TPM_RANDOM_MAX 64u       /* bytes one sk_tpm_crb_random may ask */
#define SK_TPM_RSP_MAX 64u          /* the longest GetRandom response read */

enum sk_tpm_status {
	SK_TPM_OK = 0,
	SK_TPM_ABSENT = 1,        /* interface id all zeros or all ones */
	SK_TPM_NOT_CRB = 2,       /* another interface (FIFO / TIS) */
	SK_TPM_E_LOCALITY = -1,   /* registers invalid, locality 0 not granted
				   * in time, or another locality holds it */
	SK_TPM_E_READY = -2,      /* cmdReady not acknowledged in time */
	SK_TPM_E_BUFFER = -3,     /* command / response buffer not inside the
				   * locality-0 page after the registers, or
				   * too small */
	SK_TPM_E_TIMEOUT = -4,    /* Start not cleared within TIMEOUT_B */
	SK_TPM_E_FATAL = -5,      /* tpmSts: the TPM reports a fatal error */
	SK_TPM_E_RESPONSE = -6,   /* malformed response (tag, size, length) */
	SK_TPM_E_RC = -7,         /* response code other than TPM_RC_SUCCESS */
	SK_TPM_E_IDLE = -8,       /* goIdle not acknowledged in time */
	SK_TPM_E_RELINQUISH = -9, /* locality not released in time */
	SK_TPM_E_ARG = -10,       /* bad arguments (length 0 or too long) */
};

/* Register access for one locality's page (offsets as above), and a
 * clock: now() counts ticks, at most ticks_per_ms per millisecond, so a
 * limit computed with it is never shorter than the PTP's timeout. */
struct sk_tpm_io {
	void *ctx;
	uint64_t base;            /* physical address of the page */
	uint32_t (*rd32)(void *ctx, uint32_t off);
	void (*wr32)(void *ctx, uint32_t off, uint32_t v);
	uint8_t (*rd8)(void *ctx, uint32_t off);
	void (*wr8)(void *ctx, uint32_t off, uint8_t v);
	uint64_t (*now)(void *ctx);
	uint64_t ticks_per_ms;
	uint64_t polls_per_ms;    /* iteration limit per ms, in case now()
				   * stands still */
};

struct sk_tpm_result {
	int status;               /* enum sk_tpm_status */
	uint32_t intf_id;         /* TPM_CRB_INTF_ID_x as read */
	uint32_t tpm_rc;          /* the response code when status is E_RC */
	uint32_t commands;        /* TPM2_GetRandom commands completed */
};

/* TPM2_GetRandom command for n bytes (Part 3 §16.1): out gets
 * SK_TPM_GETRANDOM_CMD_LEN bytes, big-endian (Part 1 "Command/Response
 * Structure"). */
void sk_tpm2_getrandom_cmd(uint8_t out[SK_TPM_GETRANDOM_CMD_LEN], uint16_t n);

/* Parses a TPM2_GetRandom response of rsp_len bytes (the bytes read from
 * the response buffer) for a request of `requested` bytes: tag
 * TPM_ST_NO_SESSIONS, responseSize == rsp_len, responseCode 0 (else
 * SK_TPM_E_RC with *tpm_rc), then a TPM2B_DIGEST whose size is 1 ..
 * requested and ends exactly at responseSize. On SK_TPM_OK, *bytes points
 * into rsp and *n is the count. */
int sk_tpm2_getrandom_parse(const uint8_t *rsp, size_t rsp_len,
			    uint16_t requested, const uint8_t **bytes,
			    uint16_t *n, uint32_t *tpm_rc);

/* Checks one buffer the TPM reports (address, size) against the page at
 * base: it must start at or after TPM_CRB_DATA_BUFFER, end inside the
 * page, and hold at least need bytes. On success *off is its offset in
 * the page. */
int sk_tpm_crb_buffer_ok(uint64_t base, uint64_t addr, uint32_t size,
			 uint32_t need, uint32_t *off);

/* Fills buf with len (1..SK_TPM_RANDOM_MAX) bytes from TPM2_GetRandom
 * over CRB, leaving the TPM as found: idle, and locality 0 relinquished
 * unless it was already assigned on entry. res->status says what
 * happened (also returned); buf holds the bytes only on SK_TPM_OK. */
int sk_tpm_crb_random(const struct sk_tpm_io *io, void *buf, size_t len,
		      struct sk_tpm_result *res);

/* In VTL1 (sk/arch/x86/tpm_mmio.c): sk_tpm_crb_random on the TPM at
 * SK_TPM_LOC0_BASE through VTL1's identity map (uncached there), the
 * clock RDTSC. Only on CPU 0 at boot, before VTL0 runs. */
int sk_tpm_boot_random(void *buf, size_t len, struct sk_tpm_result *res);

#endif
