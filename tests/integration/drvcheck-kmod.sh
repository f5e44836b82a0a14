#!/usr/bin/env bash
# vbs-drvcheck (docs/drvcheck.md) on kernel modules built by kbuild against
# the pinned Debian kernel's headers (tests/unit/drv_kmod/, `make drv-kmod`):
# each module has exactly the findings its rule predicts, the clean ones
# pass once signed; and the argument positions vbs-drvcheck assumes for the
# protection of __vmalloc_node_range, vmap and vmap_pfn are the ones in the
# fetched include/linux/vmalloc.h.
# TAP lines "ok - ..." / "not ok - ..."; non-zero exit on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

B=${B:-build}
. tests/integration/lib/tap.sh
. tests/integration/lib/boot.sh
tap_begin openvbs-drvcheck-kmod

DC=$B/bin/vbs-drvcheck
KMOD=$B/tests/drv-kmod
build_for_test vbs-drvcheck "$DC"
# drv-kmod exists only once the headers are there (build_for_test fetched
# them); kbuild's output is kept for the failure line.
make --no-print-directory -s B="$B" drv-kmod >"$T/kbuild.log" 2>&1 ||
	{ not_ok "kbuild builds the fixture modules: $(grep -m3 -i error "$T/kbuild.log")"; exit 1; }
ok "kbuild builds $(ls "$KMOD"/*.ko | wc -l) fixture modules against the pinned headers"

# The prototypes: position of the pgprot_t argument, 1-based. vbs-drvcheck's
# table (tools/vbs-drvcheck/elf_calls.c, docs/drvcheck.md) says:
declare -A PROT_ARG=([__vmalloc_node_range]=6 [vmap]=4 [vmap_pfn]=3)
common=$(ls -d "$(readlink -f "$B/kernel/current")"/root/usr/src/linux-headers-*-common)
vmalloc_h=$common/include/linux/vmalloc.h
for fn in "${!PROT_ARG[@]}"; do
	# The declaration "void *NAME(...)" (all three return void *), one line.
	decl=$(tr '\n' ' ' <"$vmalloc_h" | grep -oE "void \*$fn\([^)]*\)" | head -1)
	pos=$(printf '%s\n' "${decl#*(}" | tr -d ')' | tr ',' '\n' |
		awk '/pgprot_t/ { print NR; exit }')
	nargs=$(printf '%s\n' "${decl#*(}" | tr ',' '\n' | wc -l)
	[ "$pos" = "${PROT_ARG[$fn]}" ] && [ "$nargs" -ge "$pos" ] && [ "$pos" -le 6 ] &&
		ok "$fn: prot is argument $pos in the pinned vmalloc.h (a register)" ||
		not_ok "$fn: prot is argument '${pos}' in $vmalloc_h, vbs-drvcheck assumes ${PROT_ARG[$fn]}"
done

# Each module's findings, as "ID:severity" sorted, and the argument named.
"$DC" --json "$KMOD" >"$T/kmod.json"
rc=$?
[ "$rc" -eq 1 ] && ok "fixture directory: exit 1 (findings)" || not_ok "fixture directory: exit $rc, want 1"
findings() { # module
	jq -r --arg p "$KMOD/$1.ko" '.files[] | select(.path == $p) |
		[.findings[] | "\(.id):\(.severity)"] | sort | join(" ")' "$T/kmod.json"
}
expect() { # module findings...
	local mod=$1 want got
	shift
	want=$(printf '%s\n' "$@" | sort | tr '\n' ' ' | sed 's/ $//')
	got=$(findings "$mod")
	[ "$got" = "$want" ] && ok "$mod.ko: $want" || not_ok "$mod.ko: got '$got', want '$want'"
}
expect kmod_clean ELF-SIG:warn
expect kmod_vmap_nx ELF-SIG:warn
expect kmod_wx ELF-WX:fail ELF-SIG:warn
expect kmod_setx ELF-XMEM:fail ELF-SIG:warn
expect kmod_memrw ELF-MEMRW:warn ELF-SIG:warn
expect kmod_textpoke ELF-TEXTPOKE:warn ELF-SIG:warn
expect kmod_vmalloc_exec ELF-VMALLOC-PROT:fail ELF-SIG:warn
expect kmod_vmap_exec ELF-VMALLOC-PROT:fail ELF-SIG:warn
expect kmod_vmap_pfn_exec ELF-VMALLOC-PROT:fail ELF-SIG:warn
expect kmod_vmap_var ELF-VMALLOC-PROT:warn ELF-SIG:warn
expect kmod_gotpcrel ELF-RELOC-TYPE:fail ELF-SIG:warn
expect kmod_abs32 ELF-RELOC-RANGE:fail ELF-SIG:warn
for pair in kmod_vmalloc_exec:__vmalloc_node_range kmod_vmap_exec:vmap kmod_vmap_pfn_exec:vmap_pfn; do
	mod=${pair%%:*} fn=${pair#*:}
	detail=$(jq -r --arg p "$KMOD/$mod.ko" '.files[] | select(.path == $p) |
		.findings[] | select(.id == "ELF-VMALLOC-PROT") | .detail' "$T/kmod.json")
	case $detail in
	"call of $fn at "*"(argument ${PROT_ARG[$fn]})"*) ok "$mod.ko: the call of $fn is found, argument ${PROT_ARG[$fn]}" ;;
	*) not_ok "$mod.ko: detail '$detail'" ;;
	esac
done

# The clean modules, signed by the pinned kernel's sign-file: nothing left.
openssl req -new -nodes -utf8 -sha256 -days 1 -batch -x509 -subj /CN=drvcheck-kmod \
	-newkey rsa:2048 -keyout "$T/key.pem" -out "$T/key.pem" >/dev/null 2>&1
for mod in kmod_clean kmod_vmap_nx; do
	cp "$KMOD/$mod.ko" "$T/$mod.ko"
	if "$B/kernel/current/headers/scripts/sign-file" sha256 "$T/key.pem" "$T/key.pem" "$T/$mod.ko"; then
		"$DC" --cert "$T/key.pem" "$T/$mod.ko" >"$T/out"; rc=$?
		[ "$rc" -eq 0 ] && ok "$mod.ko signed: exit 0, no finding" ||
			not_ok "$mod.ko signed: exit $rc: $(cat "$T/out")"
	else
		not_ok "sign-file signs $mod.ko"
	fi
done

exit $((failures > 0))
