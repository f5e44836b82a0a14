// SPDX-License-Identifier: MIT
/*
 * Table-driven check of tests/fixtures/broken/: every rule id of
 * lib/fw/rules.h has a fixture <ID>.bin (made by tests/fixtures/mkbroken.py)
 * that, run through the parser its prefix names, yields a finding of that
 * rule, and no other fail-level finding than ALSO.txt allows. The good
 * bases in tests/fixtures/good/ yield no fail and no warn.
 */
#include <dirent.h>
#include <glob.h>
#include <unistd.h>

#include "fw_test.h"
#include "fw/acpi.h"
#include "fw/dmar.h"
#include "fw/ivrs.h"
#include "fw/mat.h"
#include "fw/mor.h"
#include "fw/rules.h"
#include "fw/tpm2.h"
#include "fw/wsmt.h"

static bool prefix(const char *id, const char *p)
{
	return strncmp(id, p, strlen(p)) == 0;
}

static void run_mat(const uint8_t *buf, size_t len, const char *memmap_rel,
		    struct fw_report *r)
{
	static struct efi_md e[512], map[512];
	struct mat_hdr h;
	size_t n = 0, map_n = 0, mlen = 0;
	uint8_t *mm = load_fixture(memmap_rel, &mlen);

	assert_non_null(mm);
	assert_int_equal(efi_memmap_parse(mm, mlen, 48, map, 512, &map_n), 0);
	if (mat_parse(buf, len, 48, &h, e, 512, &n, r) == 0) {
		mat_check_entries(e, n, 0, r);
		mat_check_memmap(e, n, map, map_n, r);
	}
	free(mm);
}

/* MOR-C*: the fixture is the control file; MOR-L*: the lock file. */
static void run_mor(const char *id, const uint8_t *buf, size_t len,
		    struct fw_report *r)
{
	size_t glen = 0;
	uint8_t *good = load_fixture("good/mor-lock.bin", &glen);
	const uint8_t *v = len ? buf : NULL; /* empty file = absent */
	struct mor m;

	assert_non_null(good);
	if (prefix(id, "MOR-C"))
		mor_parse(v, len, good, glen, &m, r);
	else
		mor_parse(good, glen, v, len, &m, r);
	free(good);
}

/* Run the parser a rule id's prefix names over buf. */
static void run_parser(const char *id, const uint8_t *buf, size_t len,
		       const char *memmap_rel, struct fw_report *r)
{
	struct acpi_hdr h;
	struct wsmt w;
	struct tpm2 t;
	struct dmar d;
	struct ivrs v;

	if (prefix(id, "ACPI-"))
		acpi_hdr_parse(buf, len, "TPM2", &h, r);
	else if (prefix(id, "WSMT-"))
		wsmt_parse(buf, len, &w, r);
	else if (prefix(id, "TPM2-"))
		tpm2_parse(buf, len, &t, r);
	else if (prefix(id, "DMAR-"))
		dmar_parse(buf, len, &d, r);
	else if (prefix(id, "IVRS-"))
		ivrs_parse(buf, len, &v, r);
	else if (prefix(id, "MAT-"))
		run_mat(buf, len, memmap_rel, r);
	else if (prefix(id, "MOR-"))
		run_mor(id, buf, len, r);
	else
		fail_msg("no parser for rule prefix of %s", id);
}

/* Does ALSO.txt allow `other` as a companion of `id`? */
static bool also_allows(const char *id, const char *other)
{
	size_t len = 0;
	uint8_t *txt = load_fixture("broken/ALSO.txt", &len);
	char *line, *save = NULL, *copy;
	bool ok = false;

	if (!txt)
		return false;
	copy = calloc(1, len + 1);
	memcpy(copy, txt, len);
	for (line = strtok_r(copy, "\n", &save); line && !ok;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(id);

		if (strncmp(line, id, n) == 0 && line[n] == ':' &&
		    strstr(line + n + 1, other))
			ok = true;
	}
	free(copy);
	free(txt);
	return ok;
}

static void check_rule(const struct fw_rule_desc *d)
{
	char rel[128], mm_rel[128], probe[128];
	struct rep p;
	struct fw_report *r = rep_init(&p);
	size_t len = 0, mlen = 0;
	uint8_t *buf, *exact, *mm;
	uint32_t i;

	snprintf(rel, sizeof(rel), "broken/%s.bin", d->id);
	snprintf(probe, sizeof(probe), "broken/%s.memmap", d->id);
	mm = load_fixture(probe, &mlen);
	snprintf(mm_rel, sizeof(mm_rel), "%s",
		 mm ? probe : "good/memmap.bin");
	free(mm);
	buf = load_fixture(rel, &len);
	if (!buf)
		fail_msg("rule %s has no fixture %s/%s (run "
			 "tests/fixtures/mkbroken.py)", d->id, fixture_dir(),
			 rel);
	exact = exact_copy(buf, len);
	run_parser(d->id, exact, len, mm_rel, r);
	if (!rep_has(r, d->id)) {
		print_message("fixture %s: findings:\n", rel);
		rep_dump(r);
		fail_msg("fixture %s does not report %s", rel, d->id);
	}
	for (i = 0; i < r->count; i++) {
		const struct fw_finding *f = &r->items[i];

		if (f->sev != FW_SEV_FAIL || strcmp(f->rule, d->id) == 0 ||
		    also_allows(d->id, f->rule))
			continue;
		rep_dump(r);
		fail_msg("fixture %s also fails %s", rel, f->rule);
	}
	free(exact);
	free(buf);
}

static void test_every_rule_has_a_fixture(void **state)
{
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < fw_rules_count; i++) {
		if (fw_rules[i].flags & FW_RULE_BEHAVIOURAL)
			continue; /* judged in fw_mor.c against a simulated store */
		check_rule(&fw_rules[i]);
		n++;
	}
	print_message("checked %zu fixtures\n", n);
	assert_true(n >= 70);
}

static void test_rule_table_sane(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < fw_rules_count; i++) {
		assert_non_null(fw_rule_find(fw_rules[i].id));
		assert_true(strlen(fw_rules[i].text) > 0);
		for (j = i + 1; j < fw_rules_count; j++)
			assert_string_not_equal(fw_rules[i].id,
						fw_rules[j].id);
	}
	assert_null(fw_rule_find("NOPE-X9"));
	assert_null(fw_rule_find(NULL));
}

/* Each finding a fixture produces names a rule of the table, with its
 * default severity (MAT-H1's "newer version" is the one unknown). */
static void test_findings_use_listed_rules(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < fw_rules_count; i++) {
		char rel[128];
		struct rep p;
		struct fw_report *r = rep_init(&p);
		size_t len = 0;
		uint8_t *buf;
		uint32_t k;

		if (fw_rules[i].flags & FW_RULE_BEHAVIOURAL)
			continue;
		snprintf(rel, sizeof(rel), "broken/%s.bin", fw_rules[i].id);
		buf = load_fixture(rel, &len);
		assert_non_null(buf);
		run_parser(fw_rules[i].id, buf, len, "good/memmap.bin", r);
		for (k = 0; k < r->count; k++) {
			const struct fw_rule_desc *d =
				fw_rule_find(r->items[k].rule);

			if (!d)
				fail_msg("unlisted rule %s", r->items[k].rule);
			if (d->sev != r->items[k].sev &&
			    strncmp(d->id, "MAT-C", 5) != 0)
				fail_msg("%s reported as %s, listed as %s",
					 d->id, fw_sev_name(r->items[k].sev),
					 fw_sev_name(d->sev));
		}
		free(buf);
	}
}

static void check_good(const char *id_prefix, const char *rel)
{
	struct rep p;
	struct fw_report *r = rep_init(&p);
	size_t len = 0;
	uint8_t *buf = load_fixture(rel, &len);
	uint8_t *exact;

	assert_non_null(buf);
	exact = exact_copy(buf, len);
	run_parser(id_prefix, exact, len, "good/memmap.bin", r);
	if (fw_report_worst(r) > FW_SEV_NOTE) {
		rep_dump(r);
		fail_msg("good base %s has findings above note", rel);
	}
	free(exact);
	free(buf);
}

static void test_good_bases_are_clean(void **state)
{
	(void)state;
	check_good("ACPI-", "good/tpm2.bin");
	check_good("WSMT-", "good/wsmt.bin");
	check_good("TPM2-", "good/tpm2.bin");
	check_good("DMAR-", "good/dmar.bin");
	check_good("IVRS-", "good/ivrs.bin");
	check_good("DMAR-", "good/dmar-synth.bin");
	check_good("IVRS-", "good/ivrs-synth.bin");
	check_good("MAT-", "good/mat.bin");
	check_good("MOR-C", "good/mor-control.bin");
}

/*
 * Real tables captured from QEMU/OVMF (tests/fixtures/platforms/<variant>/
 * laid out as Linux shows them) must parse without a structural finding:
 * header, walk and substructures sound. Skipped while none is captured.
 */
static int real_table(const char *path)
{
	const char *name = strrchr(path, '/') + 1;
	struct rep p;
	struct fw_report *r = rep_init(&p);
	size_t len = 0;
	uint8_t *buf, *e;
	FILE *f = fopen(path, "rb");
	long n;
	uint32_t i;

	if (!f)
		return 0;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	len = fread(buf, 1, n > 0 ? (size_t)n : 0, f);
	fclose(f);
	e = exact_copy(buf, len);
	if (!strcmp(name, "WSMT") || !strcmp(name, "TPM2") ||
	    !strcmp(name, "DMAR") || !strcmp(name, "IVRS")) {
		char id[8];

		snprintf(id, sizeof(id), "%s-", name);
		run_parser(id, e, len, "good/memmap.bin", r);
	} else if (!strcmp(name, "mat.bin")) {
		struct efi_md ent[512];
		struct mat_hdr h;
		size_t ne = 0;

		assert_int_equal(mat_parse(e, len, 0, &h, ent, 512, &ne, r), 0);
		mat_check_entries(ent, ne, 0, r);
	} else {
		free(e);
		free(buf);
		return 0;
	}
	for (i = 0; i < r->count; i++)
		if (r->items[i].sev == FW_SEV_FAIL) {
			rep_dump(r);
			fail_msg("real table %s: %s", path, r->items[i].rule);
		}
	print_message("real table %s: %u finding(s), none failing\n", path,
		      r->count);
	free(e);
	free(buf);
	return 1;
}

static void test_real_tables(void **state)
{
	static const char *const pats[] = {
		"platforms/*/sys/firmware/acpi/tables/*",
		"platforms/*/efi/mat.bin",
	};
	char pat[512];
	size_t i, k;
	int n = 0;

	(void)state;
	for (i = 0; i < VBS_ARRAY_SIZE(pats); i++) {
		glob_t g;

		snprintf(pat, sizeof(pat), "%s/%s", fixture_dir(), pats[i]);
		if (glob(pat, 0, NULL, &g) != 0)
			continue;
		for (k = 0; k < g.gl_pathc; k++)
			n += real_table(g.gl_pathv[k]);
		globfree(&g);
	}
	if (n == 0) {
		print_message("no captured WSMT/TPM2/DMAR/IVRS/MAT yet\n");
		skip();
	}
}

/* docs/readiness.md documents every rule id (one source, two views). */
static void test_docs_list_every_rule(void **state)
{
	size_t len = 0, i;
	uint8_t *doc = load_fixture("../../docs/readiness.md", &len);
	char *text, needle[32];

	(void)state;
	assert_non_null(doc);
	text = calloc(1, len + 1);
	memcpy(text, doc, len);
	for (i = 0; i < fw_rules_count; i++) {
		snprintf(needle, sizeof(needle), "| %s | %s |", fw_rules[i].id,
			 fw_sev_name(fw_rules[i].sev));
		if (!strstr(text, needle))
			fail_msg("docs/readiness.md lacks row \"%s\"", needle);
	}
	free(text);
	free(doc);
}

/* Compare every file of fixture subdirectory sub with dir/sub. */
static int same_tree(const char *dir, const char *sub)
{
	char path[600], rel[300];
	struct dirent *de;
	int files = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	d = opendir(path);
	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t a = 0, b = 0;
		uint8_t *x, *y;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, de->d_name);
		snprintf(rel, sizeof(rel), "%s/%s", sub, de->d_name);
		x = load_fixture(rel, &a);
		y = NULL;
		{
			FILE *f = fopen(path, "rb");

			assert_non_null(f);
			y = malloc(a + 1);
			b = fread(y, 1, a + 1, f);
			fclose(f);
		}
		if (!x || a != b || (a && memcmp(x, y, a)))
			fail_msg("%s/%s is not what mkbroken.py makes: re-run it",
				 fixture_dir(), rel);
		free(x);
		free(y);
		files++;
	}
	closedir(d);
	return files;
}

/* The committed fixtures are exactly what the generator makes now. */
static void test_generator_reproduces(void **state)
{
	const char *tmp = getenv("TMPDIR");
	char dir[256], cmd[1024];
	int n;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/fw-fixtures.XXXXXX",
		 tmp && *tmp ? tmp : P_tmpdir);
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd),
		 "python3 %s/mkbroken.py %s >/dev/null", fixture_dir(), dir);
	assert_int_equal(system(cmd), 0);
	n = same_tree(dir, "broken") + same_tree(dir, "good") +
	    same_tree(dir, "acpi");
	assert_true(n > 80);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_table_sane),
		cmocka_unit_test(test_good_bases_are_clean),
		cmocka_unit_test(test_every_rule_has_a_fixture),
		cmocka_unit_test(test_findings_use_listed_rules),
		cmocka_unit_test(test_real_tables),
		cmocka_unit_test(test_docs_list_every_rule),
		cmocka_unit_test(test_generator_reproduces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
