#!/usr/bin/env bash
# Tests of scripts/testbed, the one QEMU harness. TAP-style lines
# "ok - ..." / "not ok - ..."; exits non-zero on any failure.
#
# Boots: default platform through the loader (with --export), --no-tpm
# --amd-iommu (with --save-mat), --no-vbs (without the loader), a timeout,
# a SIGTERM in mid-boot, and a copy of scripts/testbed overwritten in place
# while it boots (--no-vbs); plus usage errors and a TAP test overwritten
# while it runs, which boot nothing.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

. tests/integration/lib/tap.sh
tap_begin openvbs-testbed-test
# No qemu or swtpm process whose command line names this run's log dir.
no_leftovers() { # logdir
	! pgrep -f -- "$1" >/dev/null
}

scripts/fetch-kernel --quiet || { not_ok "scripts/fetch-kernel"; exit 1; }
kversion=$(cat build/kernel/version)
krelease=$(cat build/kernel/release)
echo "# guest kernel $krelease ($kversion)"

# ---- usage error: no boot ------------------------------------------------
scripts/testbed --no-such-option -- true >/dev/null 2>"$T/usage.err"
rc=$?
check "an unknown option is a usage error (exit 64, got $rc)" [ $rc -eq 64 ]
check "the usage error names the option" grep -q -- '--no-such-option' "$T/usage.err"

scripts/testbed --no-vbs --policy /dev/null -- true >/dev/null 2>"$T/usage2.err"
rc=$?
check "--no-vbs with a loader option is a usage error (exit 64, got $rc)" [ $rc -eq 64 ]

# ---- edits while a script runs (no boot) ---------------------------------
# Bash reads a script as it goes; an in-place edit (same inode) of a running
# script changes the rest of its run. Both cases below overwrite the running
# script in place with longer text of "exit 99" lines: had bash kept
# reading the file, it would resume at its old offset inside that text and
# exit 99 instead of finishing as the original says (docs/testbed.md
# "Editing while it runs").
# overwrite_in_place FILE: the same inode, new text longer than the old.
overwrite_in_place() {
	local size
	size=$(stat -c %s "$1")
	yes 'exit 99' | head -c $((size + 4096)) >"$1"
}
# A TAP test (tap.sh's user): a script in a tree like tests/integration/
# whose lib/ is this one's; it waits through an external command (bash
# rereads its file after each fork) for the file "go".
mkdir -p "$T/tap/tests/integration"
ln -s "$PWD/tests/integration/lib" "$T/tap/tests/integration/lib"
cat >"$T/tap/tests/integration/probe.sh" <<'EOF'
#!/usr/bin/env bash
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib/tap.sh
tap_begin openvbs-edit-probe
: >"$PROBE_DIR/ready"
for _ in $(seq 100); do [ -e "$PROBE_DIR/go" ] && break; sleep 0.1; done
echo "original text: ran to the end"
exit 0
EOF
chmod +x "$T/tap/tests/integration/probe.sh"
PROBE_DIR=$T/tap "$T/tap/tests/integration/probe.sh" >"$T/tap.out" 2>&1 &
pid=$!
for _ in $(seq 100); do [ -e "$T/tap/ready" ] && break; sleep 0.1; done
overwrite_in_place "$T/tap/tests/integration/probe.sh"
: >"$T/tap/go"
wait $pid
rc=$?
check "a TAP test overwritten in place while it runs finishes as written (exit 0, got $rc)" \
	bash -c "[ $rc -eq 0 ] && grep -qx 'original text: ran to the end' '$T/tap.out'"

# ---- boot 1: default platform, one command checks many things ------------
# The command: prints facts on stdout, a line on stderr, a kernel message on
# the console, writes binary data to /export, and exits 7. Its arguments
# carry spaces, quotes, globs, backslashes, $ and a newline.
guest_script='
printf "version: %s\n" "$(cat /proc/version)"
printf "arg: [%s]\n" "$@"
printf "tpm: %s\n" "$(cat /sys/class/tpm/tpm0/tpm_version_major 2>/dev/null || echo none)"
for t in DMAR IVRS; do
	[ -e /sys/firmware/acpi/tables/$t ] && echo "table: $t"
done
echo "<3>openvbs-kmsg-probe" >/dev/kmsg
echo to-stderr >&2
head -c 65536 /dev/urandom >/export/random.bin
printf "\000\001\377binary\n" >/export/small.bin
mkdir -p /export/sub && echo nested >/export/sub/file.txt
sha256sum /export/random.bin /export/small.bin /export/sub/file.txt | sed "s|/export/||" >/export/SHA256SUMS
exit 7
'
args=('a  b' "it's" '"dq"' '$HOME' 'x\y' '*' 'line1
line2' '')
start=$(date +%s.%N)
scripts/testbed --log-dir "$T/b1" --export "$T/exp" -- sh -c "$guest_script" sh "${args[@]}" \
	>"$T/b1.out" 2>"$T/b1.err"
rc=$?
end=$(date +%s.%N)
echo "# default boot + command + export: $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }') s"
check "exit status of CMD is propagated (7, got $rc)" [ $rc -eq 7 ]
check "/proc/version is the fetched kernel's release ($krelease)" \
	grep -q "^version: Linux version $krelease " "$T/b1.out"
check "/proc/version is the fetched Debian build ($kversion)" \
	grep -q "^version: .* Debian $kversion " "$T/b1.out"
expected=$(printf 'arg: [%s]\n' "${args[@]}")
check "arguments arrive exactly" [ "$(sed -n '/^arg: /,/^tpm: /p' "$T/b1.out" | sed '$d')" = "$expected" ]
check "stderr carries CMD's stderr only" [ "$(cat "$T/b1.err")" = "to-stderr" ]
check "stdout carries no stderr" bash -c "! grep -q to-stderr '$T/b1.out'"
check "kernel messages stay off stdout" bash -c "! grep -q openvbs-kmsg-probe '$T/b1.out'"
check "kernel messages are in the console log" grep -q openvbs-kmsg-probe "$T/b1/console.log"
check "a TPM 2.0 is visible by default" grep -qx 'tpm: 2' "$T/b1.out"
check "the Intel IOMMU table (DMAR) is visible by default" grep -qx 'table: DMAR' "$T/b1.out"
check "the hypervisor log hv.log exists" [ -f "$T/b1/hv.log" ]
check "--export brings back binary files intact" \
	bash -c "cd '$T/exp' && sha256sum --quiet -c SHA256SUMS"
check "--export keeps the directory layout" [ "$(cat "$T/exp/sub/file.txt" 2>/dev/null)" = nested ]
check "no qemu/swtpm left after a normal run" no_leftovers "$T/b1"

# ---- boot 2: no TPM, AMD IOMMU -------------------------------------------
scripts/testbed --log-dir "$T/b2" --no-tpm --amd-iommu --save-mat "$T/mat.bin" -- sh -c '
	ls /sys/class/tpm/ 2>/dev/null | sed "s/^/tpmdev: /"
	for t in DMAR IVRS; do [ -e /sys/firmware/acpi/tables/$t ] && echo "table: $t"; done
	true' >"$T/b2.out" 2>"$T/b2.err"
rc=$?
check "--no-tpm --amd-iommu boots and runs (exit $rc)" [ $rc -eq 0 ]
check "no TPM is visible with --no-tpm" bash -c "! grep -q '^tpmdev: ' '$T/b2.out'"
check "the AMD IOMMU table (IVRS) is visible with --amd-iommu" grep -qx 'table: IVRS' "$T/b2.out"
check "no DMAR table with --amd-iommu" bash -c "! grep -qx 'table: DMAR' '$T/b2.out'"
# UEFI 2.10 EFI_MEMORY_ATTRIBUTES_TABLE: Version, NumberOfEntries,
# DescriptorSize, Reserved (UINT32 each), then the descriptors.
mat_ok() {
	python3 - "$1" <<'EOF'
import struct, sys
data = open(sys.argv[1], "rb").read()
version, count, stride, _ = struct.unpack_from("<IIII", data)
sys.exit(0 if version >= 1 and count > 0 and len(data) == 16 + count * stride else 1)
EOF
}
check "--save-mat copies a well-formed Memory Attributes Table" mat_ok "$T/mat.bin"

check "the default boot goes through the loader (its report on the console)" \
	grep -aq '^OpenVBS: verdict: ' "$T/b1/console.log"

# ---- boot 2b: the same kernel without the loader -------------------------
scripts/testbed --log-dir "$T/b2b" --no-vbs -- sh -c 'cat /proc/version; cat /proc/cmdline' \
	>"$T/b2b.out" 2>"$T/b2b.err"
rc=$?
check "--no-vbs boots and runs (exit $rc)" [ $rc -eq 0 ]
check "--no-vbs runs the same kernel ($krelease)" grep -q "^Linux version $krelease " "$T/b2b.out"
check "--no-vbs boots without the loader (no loader banner)" \
	bash -c "! grep -aq 'OpenVBS loader' '$T/b2b/console.log'"
# OVMF's fw_cfg loader appends its own "initrd=initrd".
check "--no-vbs passes the test bed's command line" grep -q '^console=ttyS0 quiet panic=-1 no_timer_check\( \|$\)' "$T/b2b.out"

# ---- boot 2c: scripts/testbed overwritten in place while it boots --------
# A copy of scripts/testbed in a tree of links to this repository boots
# (--no-vbs, the quickest); once its QEMU runs, the copy is overwritten in
# place. The run must still end as the original text says: CMD's output,
# then CMD's status. The copy's initramfs is its own ($T/tree/build/testbed):
# its cache stamp names the script's path.
mkdir -p "$T/tree/scripts" "$T/tree/build"
for e in *; do [ "$e" = scripts ] || [ "$e" = build ] || ln -s "$PWD/$e" "$T/tree/$e"; done
for e in build/*; do [ "$e" = build/testbed ] || ln -s "$PWD/$e" "$T/tree/$e"; done
for s in scripts/*; do [ "$s" = scripts/testbed ] || ln -s "$PWD/$s" "$T/tree/$s"; done
cp scripts/testbed "$T/tree/scripts/testbed"
"$T/tree/scripts/testbed" --no-vbs --no-tpm --log-dir "$T/b2c" -- sh -c 'echo edited-while-running; exit 5' \
	>"$T/b2c.out" 2>"$T/b2c.err" &
pid=$!
# QEMU's own argument (-serial file:...) names the log dir's console.log.
for _ in $(seq 600); do
	pgrep -f -- "file:$T/b2c/console.log" >/dev/null && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.1
done
sleep 1
overwrite_in_place "$T/tree/scripts/testbed"
qemu_ran=0
pgrep -f -- "file:$T/b2c/console.log" >/dev/null && qemu_ran=1
wait $pid
rc=$?
check "the copy was overwritten while its QEMU ran" [ $qemu_ran -eq 1 ]
check "scripts/testbed overwritten in place mid-boot ends as written (CMD's exit 5, got $rc)" [ $rc -eq 5 ]
check "... and prints CMD's output" grep -qx edited-while-running "$T/b2c.out"
check "no qemu/swtpm left after the edited run" no_leftovers "$T/b2c"

# ---- boot 3: a command that never ends -----------------------------------
limit=15
start=$(date +%s)
scripts/testbed --log-dir "$T/b3" --no-tpm --timeout $limit -- sleep 100000 >/dev/null 2>"$T/b3.err"
rc=$?
took=$(( $(date +%s) - start ))
check "--timeout returns 124 (got $rc)" [ $rc -eq 124 ]
check "--timeout $limit ends within the bound (took ${took}s)" [ $took -le $((limit + 10)) ]
check "--timeout says so" grep -q TIMEOUT "$T/b3.err"
check "no qemu/swtpm left after a timeout" no_leftovers "$T/b3"

# ---- boot 4: SIGTERM while the guest boots --------------------------------
scripts/testbed --log-dir "$T/b4" -- sleep 100000 >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do pgrep -f -- "$T/b4" >/dev/null && break; sleep 0.1; done
sleep 3
kill -TERM $pid
wait $pid
rc=$?
check "SIGTERM ends the test bed (exit 143, got $rc)" [ $rc -eq 143 ]
check "no qemu/swtpm left after SIGTERM" no_leftovers "$T/b4"

if [ $failures -ne 0 ]; then
	for d in "$T"/b*; do
		[ -f "$d/console.log" ] && { echo "# --- $d/console.log (tail)"; tail -n 20 "$d/console.log" | sed 's/^/# /'; }
	done
	exit 1
fi
exit 0
