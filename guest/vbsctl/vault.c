// SPDX-License-Identifier: MIT
/*
 * vbsctl vault OP: the secure kernel's secret vault (VBS_SK_SVC_VAULT,
 * include/vbs/sk_abi.h; docs/vbsctl.md "vault"). Keys never come back:
 * only ids, public keys, signatures, MACs and wrapped or unwrapped data.
 *
 *   create --kind K [--label L]          a new random secret; prints its id
 *   import --kind K [--label L] [--in F] key bytes from F (or stdin); they
 *                                        passed through VTL0 (flag imported)
 *   list                                 id, kind, flags, label of each
 *   delete ID
 *   pubkey ID [--out F]                  ECDSA-P256: SEC1 point; Ed25519: 32 bytes
 *   sign ID [--in F] [--out F]           ECDSA-P256 over SHA-256: r || s
 *   mac ID [--in F] [--out F]            HMAC-SHA256: 32 bytes
 *   wrap ID [--aad F] [--in F] [--out F] AES-256-GCM: nonce || ct || tag
 *   unwrap ID [--aad F] [--in F] [--out F]
 * Every OP takes --json. Binary output goes to --out F, or to stdout when
 * neither --out nor --json is given; --json prints it as hex.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vbs/sk_abi.h"
#include "vbsctl.h"

struct vault_op;
typedef int (*vault_run_fn)(const struct vault_op *vop,
			    const struct vbsctl_opts *o, uint32_t id);

struct vault_op {
	const char *name;
	const char *what;       /* "vault NAME", for messages */
	uint32_t op;            /* enum vbs_sk_vault_op */
	unsigned int options;   /* OPT_* besides --json */
	bool takes_id;
	bool reads_input;       /* --in or stdin */
	vault_run_fn run;
	const char *usage;
};

/* A file (or stdin for NULL or "-") of at most cap bytes into buf. */
static int input_read(const char *path, uint8_t *buf, size_t cap, size_t *len)
{
	bool is_stdin = !path || strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	size_t n;

	if (!f) {
		fprintf(stderr, "vbsctl: %s: %s\n", path, strerror(errno));
		return VBSCTL_E_FILE;
	}
	n = fread(buf, 1, cap, f);
	if (ferror(f) || (n == cap && fgetc(f) != EOF)) {
		fprintf(stderr, "vbsctl: %s: %s\n", is_stdin ? "stdin" : path,
			ferror(f) ? strerror(errno) : "too long for one request");
		if (!is_stdin)
			fclose(f);
		return VBSCTL_E_FILE;
	}
	if (!is_stdin)
		fclose(f);
	*len = n;
	return VBSCTL_OK;
}

static int output_write(const char *path, const uint8_t *buf, size_t len)
{
	bool is_stdout = !path || strcmp(path, "-") == 0;
	FILE *f = is_stdout ? stdout : fopen(path, "wb");

	if (!f) {
		fprintf(stderr, "vbsctl: %s: %s\n", path, strerror(errno));
		return VBSCTL_E_FILE;
	}
	if (fwrite(buf, 1, len, f) != len || fflush(f) != 0 ||
	    (!is_stdout && fclose(f) != 0)) {
		fprintf(stderr, "vbsctl: %s: %s\n", is_stdout ? "stdout" : path,
			strerror(errno));
		return VBSCTL_E_FILE;
	}
	return VBSCTL_OK;
}

/* The label (--label, default ""), checked against VBS_SK_LABEL_LEN. */
static int label_get(const struct vault_op *vop, const struct vbsctl_opts *o,
		     size_t *len)
{
	*len = o->label ? strlen(o->label) : 0;
	if (*len > VBS_SK_LABEL_LEN) {
		fprintf(stderr, "vbsctl vault %s: label longer than %u bytes\n",
			vop->name, VBS_SK_LABEL_LEN);
		return VBSCTL_E_USAGE;
	}
	return VBSCTL_OK;
}

/* create and import: in = label (|| key bytes); out = u32 id. */
static int run_new(const struct vault_op *vop, const struct vbsctl_opts *o,
		   uint32_t unused)
{
	uint8_t *in = calloc(1, VBS_SK_BUF_MAX);
	size_t label_len = 0, key_len = 0;
	uint32_t kind, id = 0;
	struct sk_call c = { .service = VBS_SK_SVC_VAULT, .op = vop->op,
			     .out = &id, .out_cap = sizeof(id) };
	int rc;

	(void)unused;
	if (!in)
		return VBSCTL_E_IO;
	rc = label_get(vop, o, &label_len);
	if (rc == VBSCTL_OK && key_kind_parse(o->kind, &kind) != 0) {
		fprintf(stderr, "vbsctl vault %s: --kind hmac-sha256|ecdsa-p256|aes256-gcm|ed25519 needed\n",
			vop->name);
		rc = VBSCTL_E_USAGE;
	}
	if (rc == VBSCTL_OK && label_len)
		memcpy(in, o->label, label_len);
	if (rc == VBSCTL_OK && vop->reads_input)
		rc = input_read(o->in, in + label_len, VBS_SK_BUF_MAX - label_len,
				&key_len);
	if (rc == VBSCTL_OK) {
		c.arg0 = kind;
		c.arg1 = vop->reads_input ? label_len : 0;
		c.in = label_len + key_len ? in : NULL;
		c.in_len = (uint32_t)(label_len + key_len);
		rc = sk_call(&c, vop->what, false);
	}
	explicit_bzero(in, VBS_SK_BUF_MAX);
	free(in);
	if (rc == VBSCTL_OK && c.out_len != sizeof(id)) {
		fprintf(stderr, "vbsctl: %s: malformed answer (%u bytes)\n",
			vop->what, c.out_len);
		rc = VBSCTL_E_IO;
	}
	if (rc != VBSCTL_OK)
		return rc;
	if (o->json) {
		printf("{\"id\": %u, \"kind\": \"%s\", \"label\": ", id,
		       key_kind_name(kind));
		json_str(stdout, o->label ? o->label : "", label_len);
		printf(", \"imported\": %s}\n", vop->reads_input ? "true" : "false");
	} else {
		printf("%s secret %u (%s, label \"", vop->reads_input ?
		       "imported" : "created", id, key_kind_name(kind));
		text_field(stdout, o->label ? o->label : "", label_len);
		printf("\")\n");
	}
	return VBSCTL_OK;
}

static void entry_print(const struct vbs_sk_vault_entry *e, bool json,
			bool first)
{
	size_t llen = field_len(e->label, sizeof(e->label));

	if (json) {
		printf("%s{\"id\": %u, \"kind\": \"%s\", \"kind_code\": %u, "
		       "\"flags\": %u, \"imported\": %s, \"label\": ",
		       first ? "" : ", ", e->id, key_kind_name(e->kind),
		       e->kind, e->flags,
		       e->flags & VBS_SK_VAULT_F_IMPORTED ? "true" : "false");
		json_str(stdout, e->label, llen);
		putchar('}');
		return;
	}
	printf("%-6u %-12s %-9s \"", e->id, key_kind_name(e->kind),
	       e->flags & VBS_SK_VAULT_F_IMPORTED ? "imported" : "-");
	text_field(stdout, e->label, llen);
	printf("\"\n");
}

static int run_list(const struct vault_op *vop, const struct vbsctl_opts *o,
		    uint32_t unused)
{
	struct vbs_sk_vault_entry e;
	uint8_t *out;
	uint32_t i, n;
	int rc;

	(void)unused;
	rc = sk_call_list(VBS_SK_SVC_VAULT, vop->op, sizeof(e), vop->what,
			  &out, &n);
	if (rc != VBSCTL_OK)
		return rc;
	if (o->json)
		printf("{\"count\": %u, \"secrets\": [", n);
	else if (n == 0)
		printf("no secrets\n");
	else
		printf("%-6s %-12s %-9s %s\n", "ID", "KIND", "FLAGS", "LABEL");
	for (i = 0; i < n; i++) {
		memcpy(&e, out + (size_t)i * sizeof(e), sizeof(e));
		entry_print(&e, o->json, i == 0);
	}
	if (o->json)
		printf("]}\n");
	free(out);
	return VBSCTL_OK;
}

static int run_delete(const struct vault_op *vop, const struct vbsctl_opts *o,
		      uint32_t id)
{
	struct sk_call c = { .service = VBS_SK_SVC_VAULT, .op = vop->op,
			     .arg0 = id };
	int rc = sk_call(&c, vop->what, false);

	if (rc != VBSCTL_OK)
		return rc;
	if (o->json)
		printf("{\"id\": %u, \"deleted\": true}\n", id);
	else
		printf("deleted secret %u\n", id);
	return VBSCTL_OK;
}

/* in = [AAD ||] input; arg1 = AAD length for wrap and unwrap. */
static int data_input(const struct vault_op *vop, const struct vbsctl_opts *o,
		      uint8_t *in, size_t *in_len, uint64_t *aad_len)
{
	size_t aad = 0, data = 0;
	int rc = VBSCTL_OK;

	*aad_len = 0;
	if ((vop->options & OPT_AAD) && o->aad) {
		rc = input_read(o->aad, in, VBS_SK_BUF_MAX, &aad);
		*aad_len = aad;
	}
	if (rc == VBSCTL_OK && vop->reads_input)
		rc = input_read(o->in, in + aad, VBS_SK_BUF_MAX - aad, &data);
	*in_len = aad + data;
	return rc;
}

static void data_report(const struct vault_op *vop, const struct vbsctl_opts *o,
			uint32_t id, const uint8_t *out, uint32_t len)
{
	if (o->json) {
		printf("{\"id\": %u, \"op\": \"%s\", \"bytes\": %u, ", id,
		       vop->name, len);
		if (o->out) {
			printf("\"out\": ");
			json_str(stdout, o->out, strlen(o->out));
			printf(", ");
		}
		printf("\"hex\": \"");
		hex_write(stdout, out, len);
		printf("\"}\n");
	} else if (o->out && strcmp(o->out, "-") != 0) {
		printf("%s with secret %u: %u bytes written to %s\n", vop->name,
		       id, len, o->out);
	}
}

/* pubkey, sign, mac, wrap, unwrap: bytes in (maybe), bytes out. */
static int run_data(const struct vault_op *vop, const struct vbsctl_opts *o,
		    uint32_t id)
{
	uint8_t *in = calloc(1, VBS_SK_BUF_MAX), *out = calloc(1, VBS_SK_BUF_MAX);
	struct sk_call c = { .service = VBS_SK_SVC_VAULT, .op = vop->op,
			     .arg0 = id, .out = out, .out_cap = VBS_SK_BUF_MAX };
	size_t in_len = 0;
	int rc = in && out ? VBSCTL_OK : VBSCTL_E_IO;

	if (rc == VBSCTL_OK)
		rc = data_input(vop, o, in, &in_len, &c.arg1);
	if (rc == VBSCTL_OK) {
		c.in = in_len ? in : NULL;
		c.in_len = (uint32_t)in_len;
		rc = sk_call(&c, vop->what, false);
	}
	if (rc == VBSCTL_OK && (o->out || !o->json))
		rc = output_write(o->out, out, c.out_len);
	if (rc == VBSCTL_OK)
		data_report(vop, o, id, out, c.out_len);
	if (in)
		explicit_bzero(in, VBS_SK_BUF_MAX);
	if (out)
		explicit_bzero(out, VBS_SK_BUF_MAX);
	free(in);
	free(out);
	return rc;
}

static const struct vault_op vault_ops[] = {
	{ "create", "vault create", VBS_SK_VAULT_CREATE, OPT_KIND | OPT_LABEL,
	  false, false, run_new, "create --kind KIND [--label TEXT]" },
	{ "import", "vault import", VBS_SK_VAULT_IMPORT,
	  OPT_KIND | OPT_LABEL | OPT_IN, false, true, run_new,
	  "import --kind KIND [--label TEXT] [--in FILE]" },
	{ "list", "vault list", VBS_SK_VAULT_LIST, 0, false, false, run_list,
	  "list" },
	{ "delete", "vault delete", VBS_SK_VAULT_DELETE, 0, true, false,
	  run_delete, "delete ID" },
	{ "pubkey", "vault pubkey", VBS_SK_VAULT_PUBKEY, OPT_OUT, true, false,
	  run_data, "pubkey ID [--out FILE]" },
	{ "sign", "vault sign", VBS_SK_VAULT_SIGN, OPT_IN | OPT_OUT, true, true,
	  run_data, "sign ID [--in FILE] [--out FILE]" },
	{ "mac", "vault mac", VBS_SK_VAULT_MAC, OPT_IN | OPT_OUT, true, true,
	  run_data, "mac ID [--in FILE] [--out FILE]" },
	{ "wrap", "vault wrap", VBS_SK_VAULT_WRAP, OPT_AAD | OPT_IN | OPT_OUT,
	  true, true, run_data, "wrap ID [--aad FILE] [--in FILE] [--out FILE]" },
	{ "unwrap", "vault unwrap", VBS_SK_VAULT_UNWRAP,
	  OPT_AAD | OPT_IN | OPT_OUT, true, true, run_data,
	  "unwrap ID [--aad FILE] [--in FILE] [--out FILE]" },
};

#define VAULT_NOPS (sizeof(vault_ops) / sizeof(vault_ops[0]))

static int vault_usage(void)
{
	size_t i;

	fprintf(stderr, "usage:");
	for (i = 0; i < VAULT_NOPS; i++)
		fprintf(stderr, "%s vbsctl vault %s [--json]\n",
			i ? "      " : "", vault_ops[i].usage);
	fprintf(stderr, "KIND: hmac-sha256, ecdsa-p256, aes256-gcm, ed25519; FILE '-' "
		"or none: stdin/stdout\n");
	return VBSCTL_E_USAGE;
}

/* argv[0] is "vault", argv[1] the operation. */
int cmd_vault(int argc, char **argv)
{
	const struct vault_op *vop = NULL;
	struct vbsctl_opts o;
	uint32_t id = 0;
	char err[128];
	size_t i;

	for (i = 0; argc >= 2 && i < VAULT_NOPS; i++)
		if (strcmp(argv[1], vault_ops[i].name) == 0)
			vop = &vault_ops[i];
	if (!vop)
		return vault_usage();
	if (opts_parse(argc, argv, 2, vop->options | OPT_JSON,
		       vop->takes_id ? 1 : 0, &o, err, sizeof(err)) != 0) {
		fprintf(stderr, "vbsctl vault %s: %s\nusage: vbsctl vault %s [--json]\n",
			vop->name, err, vop->usage);
		return VBSCTL_E_USAGE;
	}
	if (vop->takes_id && o.npos != 1) {
		fprintf(stderr, "vbsctl vault %s: secret id missing\nusage: vbsctl vault %s [--json]\n",
			vop->name, vop->usage);
		return VBSCTL_E_USAGE;
	}
	if (vop->takes_id && parse_u32(o.pos[0], &id) != 0) {
		fprintf(stderr, "vbsctl vault %s: bad secret id '%s' (a number, as vbsctl vault list shows)\n",
			vop->name, o.pos[0]);
		return VBSCTL_E_USAGE;
	}
	return vop->run(vop, &o, id);
}
