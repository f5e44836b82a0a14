// SPDX-License-Identifier: MIT
/*
 * vbs-sign: the project's signing key and detached signatures
 * (docs/boot.md "Keys" and "Signature format").
 *
 *   vbs-sign keygen                 create the key pair if absent
 *   vbs-sign sign [--kind K] FILE   write FILE.sig (K: policy, hv, sk)
 *   vbs-sign verify [--kind K] FILE [SIG]   check FILE against FILE.sig
 *   vbs-sign pubkey-header          C header with the public key (stdout)
 *   vbs-sign keyid                  the key id, hex
 *
 * Keys live in ${OPENVBS_KEYS:-$HOME/.config/openvbs/keys}: signing.key
 * (the 32-byte P-256 private scalar, mode 0600) and signing.pub (the
 * 65-byte uncompressed public point). A key directory inside a git work
 * tree is refused: keys never go into a repository.
 *
 * Exit: 0 ok, 1 verification failed, 64 usage, 74 I/O or key error.
 */
#include <bearssl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot/sigfile.h"
#include "boot/verify.h"

#define EX_USAGE 64
#define EX_IOERR 74
#define PRIV_LEN 32u
#define MAX_SIGNED (1ul << 30) /* 1 GiB: larger than any image we sign */

struct keydir {
	char dir[PATH_MAX];
	char priv[PATH_MAX];
	char pub[PATH_MAX];
};

static int usage(void)
{
	fprintf(stderr,
		"usage: vbs-sign keygen\n"
		"       vbs-sign sign [--kind policy|hv|sk] FILE\n"
		"       vbs-sign verify [--kind policy|hv|sk] FILE [SIGFILE]\n"
		"       vbs-sign pubkey-header\n"
		"       vbs-sign keyid\n"
		"keys: ${OPENVBS_KEYS:-$HOME/.config/openvbs/keys}\n");
	return EX_USAGE;
}

static int keydir_init(struct keydir *k)
{
	const char *env = getenv("OPENVBS_KEYS");
	const char *home = getenv("HOME");
	int n;

	if (env && *env)
		n = snprintf(k->dir, sizeof(k->dir), "%s", env);
	else if (home && *home)
		n = snprintf(k->dir, sizeof(k->dir), "%s/.config/openvbs/keys",
			     home);
	else {
		fprintf(stderr, "vbs-sign: neither OPENVBS_KEYS nor HOME set\n");
		return -1;
	}
	if (n < 0 || (size_t)n >= sizeof(k->dir) - 16) {
		fprintf(stderr, "vbs-sign: key directory path too long\n");
		return -1;
	}
	if (snprintf(k->priv, sizeof(k->priv), "%s/signing.key", k->dir) >=
	    (int)sizeof(k->priv) ||
	    snprintf(k->pub, sizeof(k->pub), "%s/signing.pub", k->dir) >=
	    (int)sizeof(k->pub))
		return -1;
	return 0;
}

/* mkdir -p with mode 0700 for the last component. */
static int mkdirs(const char *path)
{
	char tmp[PATH_MAX];
	size_t i, n = strlen(path);

	if (n >= sizeof(tmp))
		return -1;
	memcpy(tmp, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (tmp[i] != '/' && tmp[i] != 0)
			continue;
		tmp[i] = 0;
		if (mkdir(tmp, 0700) && errno != EEXIST)
			return -1;
		tmp[i] = i < n ? '/' : 0;
	}
	return 0;
}

/* True when dir or one of its parents holds a .git entry. */
static int inside_git_tree(const char *dir)
{
	char path[PATH_MAX], probe[PATH_MAX + 8];
	char start[PATH_MAX], *slash;

	/* The nearest existing ancestor: the directory may not exist yet. */
	snprintf(start, sizeof(start), "%s", dir);
	while (!realpath(start, path)) {
		slash = strrchr(start, '/');
		if (!slash || slash == start)
			return 0;
		*slash = 0;
	}
	for (;;) {
		struct stat st;

		snprintf(probe, sizeof(probe), "%s/.git", path);
		if (stat(probe, &st) == 0)
			return 1;
		slash = strrchr(path, '/');
		if (!slash || slash == path)
			return 0;
		*slash = 0;
	}
}

static int read_file(const char *path, uint8_t **out, size_t *len, size_t max)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return -1;
	for (;;) {
		size_t got;

		if (n == cap) {
			uint8_t *nb;

			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb)
				goto fail;
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n > max) {
			errno = EFBIG;
			goto fail;
		}
		if (got == 0)
			break;
	}
	if (ferror(f))
		goto fail;
	fclose(f);
	*out = buf;
	*len = n;
	return 0;
fail:
	free(buf);
	fclose(f);
	return -1;
}

static int write_file(const char *path, const uint8_t *buf, size_t len,
		      mode_t mode, int excl)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC |
			    (excl ? O_EXCL : O_TRUNC), mode);
	size_t done = 0;

	if (fd < 0)
		return -1;
	while (done < len) {
		ssize_t w = write(fd, buf + done, len - done);

		if (w < 0) {
			close(fd);
			return -1;
		}
		done += (size_t)w;
	}
	return close(fd);
}

static int load_pub(const struct keydir *k, uint8_t pub[VBS_PUBKEY_LEN])
{
	uint8_t *buf;
	size_t len;

	if (read_file(k->pub, &buf, &len, 4096)) {
		fprintf(stderr, "vbs-sign: %s: %s (run vbs-sign keygen)\n",
			k->pub, strerror(errno));
		return -1;
	}
	if (len != VBS_PUBKEY_LEN || buf[0] != 0x04) {
		fprintf(stderr, "vbs-sign: %s: not a P-256 public key\n", k->pub);
		free(buf);
		return -1;
	}
	memcpy(pub, buf, VBS_PUBKEY_LEN);
	free(buf);
	return 0;
}

static int load_priv(const struct keydir *k, uint8_t priv[PRIV_LEN])
{
	struct stat st;
	uint8_t *buf;
	size_t len;

	if (stat(k->priv, &st) == 0 && (st.st_mode & 077)) {
		fprintf(stderr, "vbs-sign: %s: mode %03o, want 0600\n", k->priv,
			st.st_mode & 0777);
		return -1;
	}
	if (read_file(k->priv, &buf, &len, 4096)) {
		fprintf(stderr, "vbs-sign: %s: %s (run vbs-sign keygen)\n",
			k->priv, strerror(errno));
		return -1;
	}
	if (len != PRIV_LEN) {
		fprintf(stderr, "vbs-sign: %s: not a P-256 private key\n",
			k->priv);
		free(buf);
		return -1;
	}
	memcpy(priv, buf, PRIV_LEN);
	explicit_bzero(buf, len);
	free(buf);
	return 0;
}

static int cmd_keygen(const struct keydir *k)
{
	const br_ec_impl *ec = &br_ec_p256_m31;
	uint8_t seed[48], priv[BR_EC_KBUF_PRIV_MAX_SIZE];
	uint8_t pub[BR_EC_KBUF_PUB_MAX_SIZE];
	br_hmac_drbg_context rng;
	br_ec_private_key sk;
	br_ec_public_key pk;
	size_t plen;

	if (access(k->priv, F_OK) == 0 && access(k->pub, F_OK) == 0)
		return 0; /* present: never overwrite a key */
	if (inside_git_tree(k->dir)) {
		fprintf(stderr, "vbs-sign: %s is inside a git work tree; keys "
			"are never kept in a repository\n", k->dir);
		return EX_IOERR;
	}
	if (mkdirs(k->dir)) {
		fprintf(stderr, "vbs-sign: %s: %s\n", k->dir, strerror(errno));
		return EX_IOERR;
	}
	if (getrandom(seed, sizeof(seed), 0) != (ssize_t)sizeof(seed)) {
		fprintf(stderr, "vbs-sign: getrandom: %s\n", strerror(errno));
		return EX_IOERR;
	}
	br_hmac_drbg_init(&rng, &br_sha256_vtable, seed, sizeof(seed));
	if (br_ec_keygen(&rng.vtable, ec, &sk, priv, BR_EC_secp256r1) !=
	    PRIV_LEN)
		return EX_IOERR;
	plen = br_ec_compute_pub(ec, &pk, pub, &sk);
	if (plen != VBS_PUBKEY_LEN)
		return EX_IOERR;
	if (write_file(k->priv, sk.x, PRIV_LEN, 0600, 1) ||
	    write_file(k->pub, pk.q, VBS_PUBKEY_LEN, 0644, 1)) {
		fprintf(stderr, "vbs-sign: writing keys in %s: %s\n", k->dir,
			strerror(errno));
		return EX_IOERR;
	}
	explicit_bzero(priv, sizeof(priv));
	explicit_bzero(seed, sizeof(seed));
	fprintf(stderr, "vbs-sign: new key pair in %s\n", k->dir);
	return 0;
}

static int parse_kind(const char *s, uint16_t *kind)
{
	if (!strcmp(s, "policy"))
		*kind = VBS_SIG_KIND_POLICY;
	else if (!strcmp(s, "hv"))
		*kind = VBS_SIG_KIND_HV;
	else if (!strcmp(s, "sk"))
		*kind = VBS_SIG_KIND_SK;
	else
		return -1;
	return 0;
}

static int cmd_sign(const struct keydir *k, uint16_t kind, const char *path)
{
	uint8_t priv[PRIV_LEN], pub[VBS_PUBKEY_LEN], key_id[VBS_SIG_KEY_ID_LEN];
	uint8_t hdr[VBS_SIG_SIGNED_HDR_LEN], digest[32], raw[VBS_SIG_RAW_LEN];
	uint8_t file[VBS_SIG_FILE_LEN];
	char out[PATH_MAX];
	br_ec_private_key sk;
	uint8_t *content;
	size_t len;

	if (load_priv(k, priv) || load_pub(k, pub))
		return EX_IOERR;
	if (read_file(path, &content, &len, MAX_SIGNED)) {
		fprintf(stderr, "vbs-sign: %s: %s\n", path, strerror(errno));
		return EX_IOERR;
	}
	vbs_key_id(pub, key_id);
	vbs_sig_header(hdr, kind, key_id, len);
	vbs_sig_digest(hdr, content, len, digest);
	free(content);
	sk.curve = BR_EC_secp256r1;
	sk.x = priv;
	sk.xlen = PRIV_LEN;
	/* Deterministic ECDSA (RFC 6979) in BearSSL: no RNG needed. */
	if (br_ecdsa_i31_sign_raw(&br_ec_p256_m31, &br_sha256_vtable, digest,
				  &sk, raw) != VBS_SIG_RAW_LEN) {
		fprintf(stderr, "vbs-sign: signing failed\n");
		return EX_IOERR;
	}
	explicit_bzero(priv, sizeof(priv));
	vbs_sig_encode(file, hdr, raw);
	snprintf(out, sizeof(out), "%s.sig", path);
	if (write_file(out, file, sizeof(file), 0644, 0)) {
		fprintf(stderr, "vbs-sign: %s: %s\n", out, strerror(errno));
		return EX_IOERR;
	}
	return 0;
}

static int cmd_verify(const struct keydir *k, uint16_t kind, const char *path,
		      const char *sigpath)
{
	uint8_t pub[VBS_PUBKEY_LEN], *content, *sig;
	char defsig[PATH_MAX];
	size_t len, siglen;
	enum vbs_verify v;
	const char *why;

	if (!sigpath) {
		snprintf(defsig, sizeof(defsig), "%s.sig", path);
		sigpath = defsig;
	}
	if (load_pub(k, pub))
		return EX_IOERR;
	if (read_file(path, &content, &len, MAX_SIGNED)) {
		fprintf(stderr, "vbs-sign: %s: %s\n", path, strerror(errno));
		return EX_IOERR;
	}
	if (read_file(sigpath, &sig, &siglen, 4096)) {
		fprintf(stderr, "vbs-sign: %s: %s\n", sigpath, strerror(errno));
		free(content);
		return EX_IOERR;
	}
	v = vbs_verify_detached(pub, kind, sig, siglen, content, len, &why);
	free(content);
	free(sig);
	printf("%s: %s\n", path, v == VBS_VERIFY_OK ? "signature ok" : why);
	return v == VBS_VERIFY_OK ? 0 : 1;
}

static int cmd_pubkey_header(const struct keydir *k)
{
	uint8_t pub[VBS_PUBKEY_LEN], key_id[VBS_SIG_KEY_ID_LEN];
	size_t i;

	if (load_pub(k, pub))
		return EX_IOERR;
	vbs_key_id(pub, key_id);
	printf("/* Generated by vbs-sign pubkey-header; never committed. */\n"
	       "#ifndef VBS_BUILD_PUBKEY_H\n#define VBS_BUILD_PUBKEY_H\n"
	       "/* P-256 public key, uncompressed (0x04 || X || Y). */\n"
	       "#define VBS_PUBKEY_BYTES { \\\n");
	for (i = 0; i < VBS_PUBKEY_LEN; i++)
		printf("%s0x%02x,%s", i % 8 ? " " : "\t", pub[i],
		       i % 8 == 7 || i + 1 == VBS_PUBKEY_LEN ? " \\\n" : "");
	printf("}\n#define VBS_PUBKEY_ID \"");
	for (i = 0; i < VBS_SIG_KEY_ID_LEN; i++)
		printf("%02x", key_id[i]);
	printf("\"\n#endif\n");
	return 0;
}

static int cmd_keyid(const struct keydir *k)
{
	uint8_t pub[VBS_PUBKEY_LEN], key_id[VBS_SIG_KEY_ID_LEN];
	size_t i;

	if (load_pub(k, pub))
		return EX_IOERR;
	vbs_key_id(pub, key_id);
	for (i = 0; i < VBS_SIG_KEY_ID_LEN; i++)
		printf("%02x", key_id[i]);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	uint16_t kind = VBS_SIG_KIND_POLICY;
	struct keydir k;
	const char *cmd;
	int i = 2;

	if (argc < 2)
		return usage();
	cmd = argv[1];
	if (i + 1 < argc && !strcmp(argv[i], "--kind")) {
		if (parse_kind(argv[i + 1], &kind))
			return usage();
		i += 2;
	}
	if (keydir_init(&k))
		return EX_IOERR;
	if (!strcmp(cmd, "keygen") && argc == 2)
		return cmd_keygen(&k);
	if (!strcmp(cmd, "sign") && argc == i + 1)
		return cmd_sign(&k, kind, argv[i]);
	if (!strcmp(cmd, "verify") && (argc == i + 1 || argc == i + 2))
		return cmd_verify(&k, kind, argv[i],
				  argc == i + 2 ? argv[i + 1] : NULL);
	if (!strcmp(cmd, "pubkey-header") && argc == 2)
		return cmd_pubkey_header(&k);
	if (!strcmp(cmd, "keyid") && argc == 2)
		return cmd_keyid(&k);
	return usage();
}
