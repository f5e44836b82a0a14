/* SPDX-License-Identifier: MIT */
/*
 * The two libsodium functions the vault uses for Ed25519, declared here
 * because sodium.h is not usable freestanding (libsodium documentation,
 * "Public-key signatures": crypto_sign_seed_keypair, crypto_sign_detached,
 * the ed25519 variants). In sk.bin they come from four objects of
 * Debian's libsodium.a (sk/sk.mk); on the host from -lsodium.
 */
#ifndef SK_SERVICES_ED25519_H
#define SK_SERVICES_ED25519_H

#define SK_ED25519_SEED_LEN 32u
#define SK_ED25519_SECRET_LEN 64u  /* libsodium's sk: seed || public key */

int crypto_sign_ed25519_seed_keypair(unsigned char *pk, unsigned char *sk,
				     const unsigned char *seed);
int crypto_sign_ed25519_detached(unsigned char *sig, unsigned long long *siglen_p,
				 const unsigned char *m, unsigned long long mlen,
				 const unsigned char *sk);

#endif
