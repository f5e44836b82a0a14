// SPDX-License-Identifier: MIT
/*
 * What the four libsodium objects sk.bin links (sk/sk.mk: ed25519_ref10,
 * hash_sha512_cp, keypair, sign from Debian's libsodium.a) need beyond
 * sk/core/libc.c. Only these objects are taken because the rest of
 * libsodium.a is not built with -ffunction-sections and its core and
 * random objects pull in malloc, mmap, mprotect, pthread mutexes,
 * open/read/getrandom (docs/secure-kernel.md "Ed25519").
 *
 * - sodium_memzero, sodium_is_zero: libsodium's utils (libsodium
 *   documentation, "Helpers"), here on sk_scrub and a plain loop.
 * - abort: the ref10 code calls it on an impossible internal state.
 * - randombytes_buf: reached only by crypto_sign_ed25519_keypair, which
 *   sk never calls (the vault derives keys with seed_keypair from its
 *   own entropy); if it ever is reached it gets RDSEED/RDRAND, never
 *   silence.
 * Freestanding build only: the host tests link the real -lsodium.
 */
#include <stddef.h>
#include <stdint.h>

#include "arch/x86/entropy.h"
#include "core/scrub.h"

void sodium_memzero(void *pnt, size_t len);
int sodium_is_zero(const unsigned char *n, size_t nlen);
void abort(void) __attribute__((noreturn));
void randombytes_buf(void *buf, size_t size);
void sk_halt(void) __attribute__((noreturn));

void sodium_memzero(void *pnt, size_t len)
{
	sk_scrub(pnt, len);
}

int sodium_is_zero(const unsigned char *n, size_t nlen)
{
	unsigned char acc = 0;
	size_t i;

	for (i = 0; i < nlen; i++)
		acc |= n[i];
	return acc == 0;
}

void abort(void)
{
	sk_halt();
}

void randombytes_buf(void *buf, size_t size)
{
	if (sk_hw_entropy(buf, size) != 0)
		sk_halt();
}
