#!/usr/bin/env bash
# The secure kernel in VTL1, end to end (docs/hypervisor.md "VTL1",
# docs/secure-kernel.md), through scripts/testbed (hypervisor and sk.bin on
# the ESP, as by default):
#   1. --smp 2: VTL1 runs on both CPUs (vbsctl status on each); the loader
#      measured sk.bin into PCR 11; /dev/mem reads of every "Reserved" range
#      (the hypervisor's and the secure kernel's regions among them) return
#      the full length, zeros only, none of sk.bin's bytes; a write into
#      them is dropped and logged and they still read as zeros; the CPL-0
#      probe module's malformed VTL calls (bad alignment, page crossing,
#      hidden memory, reserved registers, VTL_RETURN and protection masks
#      from VTL0, bad magic, huge lengths, unknown service) are refused and
#      VTL1 keeps serving; VMMCALL at CPL 3 raises #UD; VTL1's log holds the
#      refusals; the vault: an ECDSA-P256 signature made in VTL1 verifies on
#      the host with the exported public key (openssl), an imported HMAC key
#      gives the MAC openssl computes, AES-GCM wrap/unwrap round-trips and a
#      tampered blob is refused; a user process's XMM registers survive
#      100,000 VTL calls; a 2-second VTL1 service on CPU 1 leaves that CPU's
#      timer interrupts running (VTL0 takes them; no RCU stall); 1,100 refused requests overflow VTL1's log and
#      vbsctl log says exactly how many entries were lost; the hypervisor
#      counts VTL calls.
#      VTL1's entropy: vbsctl status names the TPM and RDRAND as the
#      sources that seeded VTL1's pool (the test bed's CPU has RDRAND, no
#      RDSEED; its TPM is CRB) and VTL1's log holds the boot's entropy
#      event; Linux still reads the TPM's event log after VTL1 used it.
#      VTL1 runs on its own page tables: its log holds the start-time W^X
#      check's event with the image's code, read-only and data sizes.
#   2. the same ESP (kernel, initramfs, command) booted again: the key
#      created there differs from run 1's (identical VTL0 inputs, VTL1's
#      own entropy).
#   3. --no-tpm: RDRAND is the only source, and the vault still creates
#      a key.
#   4. --tpm-tis: a TPM that is not CRB is no source for VTL1 (RDRAND
#      only), and Linux still finds and uses that TPM (tpm_tis, its event
#      log).
#   5. --cpu max (AVX): YMM0-15 of a user process survive 20,000 VTL calls
#      on each of 2 CPUs.
# TAP lines "ok - ..." / "not ok - ..."; non-zero exit on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

B=${B:-build}
. tests/integration/lib/tap.sh
. tests/integration/lib/boot.sh
tap_begin openvbs-vtl1

build_for_test "hv.bin, sk.bin, vbsctl, hv-probe, the probe module, vbs.ko" \
	"$B/hv/hv.bin" "$B/sk/sk.bin" "$B/guest/bin/vbsctl" "$B/guest/bin/hv-probe" \
	"$B/guest/bin/hv_probe_kmod.ko" "$B/guest/bin/vbs.ko" "$B/guest/bin/vtl-xmm"

HMAC_KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f

CMD1='mkdir -p /export
vbsctl status --json | sed "s/^/status-cpu0 /"
taskset -c 1 vbsctl status --json | sed "s/^/status-cpu1 /"
cat /sys/kernel/security/tpm0/binary_bios_measurements >/export/log.bin 2>/dev/null
hidden=""
devmem_scan() {
	grep -E "^[0-9a-f]+-[0-9a-f]+ : Reserved$" /proc/iomem | while read -r r _; do
		s=${r%-*}; e=${r#*-}; n=$((0x$e - 0x$s + 1))
		[ $n -ge 1048576 ] && [ $n -le 16777216 ] && [ $((0x$s % 4096)) -eq 0 ] || continue
		dd if=/dev/mem of=/root/r bs=4096 skip=$((0x$s / 4096)) count=$((n / 4096)) 2>/dev/null
		echo "devmem-$1 $s $n $(wc -c </root/r) $(grep -a -c OVBS-SK1 /root/r) $(tr -d "\000" </root/r | wc -c)"
	done
}
devmem_scan read | tee /root/scan
# Write only where memory is hidden: a Reserved range of at least 1 MiB that
# read back whole and as zeros (never firmware memory or flash).
while read -r _ s n got _ nz; do
	[ "$nz" = 0 ] && [ "$got" = "$n" ] && [ "$n" -ge 1048576 ] || continue
	hidden="$hidden${hidden:+,}0x$s"
	dd if=/dev/urandom of=/dev/mem bs=4096 seek=$((0x$s / 4096 + 1)) count=1 conv=notrunc 2>/dev/null
done </root/scan
devmem_scan reread
echo "hidden=$hidden"
insmod /usr/bin/hv_probe_kmod.ko vtl=1 hidden=$hidden && dmesg | sed -n "s/^.*hv-probe-kmod: /kmod: /p"
hv-probe vmmcall-ud
vbsctl vault create --kind ecdsa-p256 --label sig >/dev/null && echo vault-create-rc=0
echo "message signed in VTL1" >/export/msg
vbsctl vault pubkey 1 --out /export/pub.bin && echo pubkey-rc=0
vbsctl vault sign 1 --in /export/msg --out /export/sig.bin && echo sign-rc=0
printf "'"$(echo $HMAC_KEY | sed 's/\(..\)/\\x\1/g')"'" >/root/hkey
vbsctl vault import --kind hmac-sha256 --label mac --in /root/hkey >/dev/null && echo import-rc=0
taskset -c 1 vbsctl vault mac 2 --in /export/msg --out /export/mac.bin && echo mac-rc=0
vbsctl vault create --kind aes256-gcm --label wrap >/dev/null
echo "secret payload" >/root/plain
vbsctl vault wrap 3 --in /root/plain --out /root/blob && vbsctl vault unwrap 3 --in /root/blob --out /root/back && cmp /root/plain /root/back && echo wrap-roundtrip=ok
dd if=/root/blob bs=1 count=20 2>/dev/null >/root/bad; printf "\377" >>/root/bad; dd if=/root/blob bs=1 skip=21 2>/dev/null >>/root/bad
vbsctl vault unwrap 3 --in /root/bad --out /root/back2; echo tampered-unwrap-rc=$?
vbsctl vault list
vbsctl log --json --from 0 | sed "s/^/log /"
taskset -c 1 vtl-xmm 100000
mhz=$(sed -n "s/^cpu MHz[^:]*: *\([0-9]*\).*/\1/p" /proc/cpuinfo | head -1)
loc() { sed -n "s/^ *LOC: *\([0-9]*\) *\([0-9]*\).*/\2/p" /proc/interrupts; }
l0=$(loc); u0=$(cut -d" " -f1 /proc/uptime)
taskset -c 1 vtl-xmm spin $((mhz * 2000000))
l1=$(loc); u1=$(cut -d" " -f1 /proc/uptime)
echo "spin-cpu1 loc_before=$l0 loc_after=$l1 uptime_before=$u0 uptime_after=$u1"
dmesg | grep -c "rcu.*stall" | sed "s/^/rcu-stalls=/"
vtl-xmm refuse 1100
vbsctl log --json --from 0 | sed "s/^/log2 /"
taskset -c 1 vbsctl hv --json | sed "s/^/hv-cpu1 /"
echo guest-done'

boot() { # name export-dir args...
	local name=$1 exp=$2
	shift 2
	boot_logged "$name" 300 --export "$exp" "$@"
}

boot smp2 "$T/exp1" --smp 2 --save-esp "$T/esp.img" -- sh -c "$CMD1"
O=$T/smp2.out
check "the guest command ran to the end" grep -q '^guest-done$' "$O"
check "the loader loaded the secure kernel" grep -q 'OpenVBS: SECURE KERNEL: loaded at' "$T/smp2/console.log"
check "VTL1 started on both CPUs (hypervisor log)" \
	[ "$(grep -c 'secure kernel ready on this CPU' "$T/smp2/hv.log")" -eq 2 ]
for c in 0 1; do
	check "CPU $c: vbsctl status reports VTL1 running" python3 -c '
import json, sys
for l in open(sys.argv[1]):
    if l.startswith("status-cpu%s " % sys.argv[2]):
        d = json.loads(l.split(" ", 1)[1])
        sys.exit(0 if d["vbs_status"] == 2 and d["secure_kernel"]["running"] and "vtl1" in d["security_services_running"] else 1)
sys.exit(1)' "$O" $c
done
# entropy_ok FILE PREFIX SOURCES DETAIL: the status line PREFIX in FILE
# names exactly SOURCES (comma-separated, as vbsctl prints them) and the
# log line "log " in FILE holds VTL1's boot event "entropy: DETAIL".
entropy_ok() {
	python3 - "$@" <<'PY'
import json, sys
path, prefix, want, detail = sys.argv[1:5]
status = log = None
for l in open(path):
    if l.startswith(prefix + " "):
        status = json.loads(l.split(" ", 1)[1])
    elif l.startswith("log "):
        log = json.loads(l.split(" ", 1)[1])
if status is None or log is None:
    sys.exit(1)
got = status.get("entropy_sources")
ev = [e for e in log["entries"] if e["kind"] == "info" and e["module"] == "entropy"]
print("# entropy sources %s (mask %s); VTL1 log: %s" % (got, status.get("entropy_sources_mask"),
      "; ".join("entropy: " + e["detail"] for e in ev) or "no entropy event"))
sys.exit(0 if got == want.split(",") and ev and ev[0]["detail"] == detail
         and ev[0]["arg"] == status["entropy_sources_mask"] else 1)
PY
}
check "VTL1's entropy pool was seeded by the TPM (CRB) and RDRAND" \
	entropy_ok "$O" status-cpu0 tpm,rdrand "TPM 40 bytes, RDRAND"
check "Linux read the TPM's event log after VTL1 used the TPM" \
	bash -c "[ -s '$T/exp1/log.bin' ]"
# paging_ok FILE ELF: VTL1's log (line "log " in FILE) holds the secure
# kernel's page-table event, "W^X: <code>K RX, <rodata>K R, <data>K RW"
# with the sizes of ELF's sections (sk.lds: __text_end, __rodata_end,
# __image_end) and arg = executable bytes in VTL1's whole address space =
# the code's size: its start-time walk of the loaded tables found W^X.
paging_ok() {
	python3 - "$1" <(nm "$2") <<'PY'
import json, sys
syms = {l.split()[2]: int(l.split()[0], 16) for l in open(sys.argv[2]) if len(l.split()) == 3}
text, ro, end = syms["__text_end"], syms["__rodata_end"], syms["__image_end"]
want = "W^X: %dK RX, %dK R, %dK RW" % (text >> 10, (ro - text) >> 10, (end - ro) >> 10)
log = None
for l in open(sys.argv[1]):
    if l.startswith("log "):
        log = json.loads(l.split(" ", 1)[1])
ev = [e for e in (log or {}).get("entries", []) if e["kind"] == "info" and e["module"] == "paging"]
print("# VTL1 page tables: %s (want %s; executable bytes %s, code %d)" %
      (ev[0]["detail"] if ev else "no paging event", want, ev[0]["arg"] if ev else "-", text))
sys.exit(0 if len(ev) == 1 and ev[0]["detail"] == want and ev[0]["arg"] == text else 1)
PY
}
check "VTL1 runs on its own page tables and verified W^X at start (VTL1's log)" \
	paging_ok "$O" "$B/sk/sk.elf"
check "no secure kernel fault (hypervisor log)" \
	bash -c "! grep -q 'secure kernel fault' '$T/smp2/hv.log'"
MTOOLS_SKIP_CHECK=1 mcopy -n -i "$T/esp.img" ::/EFI/OpenVBS/sk.bin "$T/sk.bin" 2>/dev/null
python3 tests/integration/lib/tpm_eventlog.py list "$T/exp1/log.bin" >"$T/events.txt" 2>&1
measured=$(awk '$2 == "PCR11" && $3 == "EV_IPL" && index($0, "OpenVBS secure kernel image") { print $4; exit }' "$T/events.txt")
want=$(sha256sum <"$T/sk.bin" 2>/dev/null | cut -d' ' -f1)
check "PCR 11 'OpenVBS secure kernel image' = SHA-256 of the ESP's sk.bin (${measured:-none})" \
	bash -c "[ -s '$T/sk.bin' ] && [ '$measured' = '$want' ]"
sk_base=$(sed -n 's/^.*SECURE KERNEL: loaded at 0x\([0-9a-f]*\) .*/\1/p' "$T/smp2/console.log")
check "the secure kernel's region (${sk_base:-?}) is among the Reserved ranges scanned" \
	grep -q "^devmem-read 0*$sk_base " "$O"
hv_base=$(sed -n 's/^\[hv cpu0\] region \([0-9a-f]*\)-.*/\1/p' "$T/smp2/hv.log")
scan_ok() { # kind: the hypervisor's and the secure kernel's ranges: full, zeros, no sk.bin
	awk -v k="devmem-$1" -v a="${hv_base:-none}" -v b="${sk_base:-none}" '
		$1 == k && ($2 == a || $2 == b) { n++; if ($3 != $4 || $5 != 0 || $6 != 0) bad++ }
		END { exit !(n == 2 && bad == 0) }' "$O"
}
check "/dev/mem reads of the hypervisor and VTL1 regions: full length, zeros, no sk.bin" scan_ok read
check "writes into them were dropped and logged (hypervisor log)" \
	bash -c "grep -q 'guest write to secure kernel memory dropped' '$T/smp2/hv.log' &&
		grep -q 'guest write to hypervisor memory dropped' '$T/smp2/hv.log'"
check "after the writes they still read as zeros" scan_ok reread
sed -n 's/^kmod: \(\(not \)\{0,1\}ok\) - /\1 - VTL call: /p' "$O"
failures=$((failures + $(grep -c '^kmod: not ok - ' "$O")))
check "the probe module ran all its VTL call probes (>= 14)" \
	[ "$(grep -cE '^kmod: (not )?ok - ' "$O")" -ge 14 ]
check "VMMCALL at CPL 3 raises #UD (no VTL call from user mode)" \
	grep -q '^ok - VMMCALL at CPL 3 raises #UD' "$O"
check "VTL1's log recorded the refused requests (>= 4)" python3 -c '
import json, sys
for l in open(sys.argv[1]):
    if l.startswith("log "):
        d = json.loads(l.split(" ", 1)[1])
        n = sum(1 for e in d["entries"] if e["kind"] == "refused")
        print("# refused entries:", n)
        sys.exit(0 if n >= 4 else 1)
sys.exit(1)' "$O"
check "a user process's XMM0-15 survive 100,000 VTL calls on CPU 1 ($(sed -n 's/^vtl-xmm calls=100000 .*ns_per_call=\([0-9]*\)/\1 ns per call/p' "$O"))" \
	grep -q '^vtl-xmm calls=100000 ok=100000 mismatches=0 errors=0 ' "$O"
check "a 2-second VTL1 service on CPU 1: $(sed -n 's/^spin-cpu1 //p' "$O")" python3 -c '
import re, sys
t = open(sys.argv[1]).read()
m = re.search(r"^vtl-xmm spin status=0 ns=(\d+)$", t, re.M)
s = re.search(r"^spin-cpu1 loc_before=(\d+) loc_after=(\d+) uptime_before=([\d.]+) uptime_after=([\d.]+)$", t, re.M)
if not m or not s:
    sys.exit(1)
ns, ticks = int(m.group(1)), int(s.group(2)) - int(s.group(1))
print("# VTL1 busy %.2f s; CPU 1 took %d local timer interrupts meanwhile" % (ns / 1e9, ticks))
# HZ=250: a CPU whose interrupts were held for the whole call would show
# about one tick; require a tenth of the expected rate.
sys.exit(0 if ns >= 1.5e9 and ticks >= 25 * ns / 1e9 else 1)' "$O"
check "no RCU stall in the guest's log" grep -q '^rcu-stalls=0$' "$O"
check "1,100 refused requests were all refused" grep -q '^vtl-xmm refused=1100 of 1100$' "$O"
check "the overflowed log says exactly how many entries were lost" python3 -c '
import json, sys
for l in open(sys.argv[1]):
    if l.startswith("log2 "):
        d = json.loads(l.split(" ", 1)[1])
        n = len(d["entries"])
        print("# log: %d entries returned, %d lost, next %d" % (n, d["lost"], d["next_seq"]))
        ok = d["lost"] > 0 and d["lost"] + n == d["next_seq"] and \
             d["entries"][0]["seq"] == d["lost"] and d["entries"][-1]["seq"] == d["next_seq"] - 1
        sys.exit(0 if ok else 1)
sys.exit(1)' "$O"
check "vault: ECDSA-P256 key created, public key exported, message signed" \
	bash -c "grep -q '^vault-create-rc=0$' '$O' && grep -q '^pubkey-rc=0$' '$O' && grep -q '^sign-rc=0$' '$O'"
verify_sig() { # pub(raw SEC1) sig(r||s) msg
	python3 - "$1" "$2" "$T/pub.der" "$T/sig.der" <<'PY' || return 1
import sys
pub, sig = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
if len(pub) != 65 or pub[0] != 4 or len(sig) != 64:
    sys.exit(1)
# RFC 5480 SubjectPublicKeyInfo for id-ecPublicKey / prime256v1.
spki = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200") + pub
def der_int(b):
    b = b.lstrip(b"\0") or b"\0"
    if b[0] & 0x80:
        b = b"\0" + b
    return bytes([2, len(b)]) + b
body = der_int(sig[:32]) + der_int(sig[32:])
open(sys.argv[3], "wb").write(spki)
open(sys.argv[4], "wb").write(bytes([0x30, len(body)]) + body)
PY
	openssl dgst -sha256 -verify "$T/pub.der" -keyform DER -signature "$T/sig.der" "$3" >/dev/null
}
check "the signature made in VTL1 verifies on the host (openssl, exported public key)" \
	verify_sig "$T/exp1/pub.bin" "$T/exp1/sig.bin" "$T/exp1/msg"
printf 'x' >>"$T/exp1/msg"
verify_fails() { ! verify_sig "$@"; }
check "... and does not verify for another message (the check can fail)" \
	verify_fails "$T/exp1/pub.bin" "$T/exp1/sig.bin" "$T/exp1/msg"
truncate -s -1 "$T/exp1/msg"
want_mac=$(openssl dgst -sha256 -mac HMAC -macopt "hexkey:$HMAC_KEY" -binary "$T/exp1/msg" | od -An -tx1 | tr -d ' \n')
got_mac=$(od -An -tx1 "$T/exp1/mac.bin" 2>/dev/null | tr -d ' \n')
check "vault: HMAC-SHA256 with the imported key (CPU 1) = openssl's (${got_mac:0:16}...)" \
	bash -c "grep -q '^mac-rc=0$' '$O' && [ -n '$want_mac' ] && [ '$want_mac' = '$got_mac' ]"
check "vault: AES-256-GCM wrap/unwrap round-trips" grep -q '^wrap-roundtrip=ok$' "$O"
check "vault: a tampered blob is refused (vbsctl exit 7: authentication failed)" \
	grep -q '^tampered-unwrap-rc=7$' "$O"
check "the hypervisor counted CPU 1's VTL calls" python3 -c '
import json, sys
for l in open(sys.argv[1]):
    if l.startswith("hv-cpu1 "):
        d = json.loads(l.split(" ", 1)[1])
        sys.exit(0 if d["exits"]["vtl_call"] >= 1 else 1)
sys.exit(1)' "$O"
check "no fatal exit, panic or exception in the hypervisor log" \
	bash -c "! grep -Eq 'FATAL|PANIC|EXCEPTION' '$T/smp2/hv.log'"

# The very same ESP again (its initramfs carries run 1's command too).
boot again "$T/exp2" --smp 2 --esp "$T/esp.img" -- true
check "second boot (same ESP, same command): a key was created and exported" \
	grep -q '^pubkey-rc=0$' "$T/again.out"
check "identical VTL0 inputs, different keys (VTL1's entropy)" \
	bash -c "[ -s '$T/exp2/pub.bin' ] && [ -s '$T/exp1/pub.bin' ] && ! cmp -s '$T/exp1/pub.bin' '$T/exp2/pub.bin'"

# Other TPMs: none, and one on the FIFO/TIS interface (one CPU each).
CMD3='vbsctl status --json | sed "s/^/status /"
vbsctl vault create --kind hmac-sha256 --label k >/dev/null && echo vault-create-rc=0
vbsctl log --json --from 0 | sed "s/^/log /"
ls /sys/class/tpm 2>/dev/null | sed "s/^/linux-tpm /"
[ "$(cat /sys/kernel/security/tpm0/binary_bios_measurements 2>/dev/null | wc -c)" -gt 0 ] && echo linux-tpm-log=ok
if [ -c /dev/tpm0 ] && exec 3<>/dev/tpm0; then
	printf "\200\001\000\000\000\014\000\000\001\173\000\010" >&3
	dd bs=64 count=1 <&3 2>/dev/null | od -An -tx1 | tr -d " \n" | sed "s/^/linux-getrandom /"
	echo
	exec 3>&-
fi 2>/dev/null
echo guest-done'
boot notpm "$T/exp3" --no-tpm -- sh -c "$CMD3"
check "--no-tpm: RDRAND is VTL1's only entropy source" \
	entropy_ok "$T/notpm.out" status rdrand "no TPM, RDRAND"
check "--no-tpm: the vault still creates a key" grep -q '^vault-create-rc=0$' "$T/notpm.out"
boot tis "$T/exp4" --tpm-tis -- sh -c "$CMD3"
check "--tpm-tis: a TIS TPM is no source for VTL1 (RDRAND only)" \
	entropy_ok "$T/tis.out" status rdrand "TPM not CRB, RDRAND"
# TPM2_GetRandom(8) from Linux: tag 8001, size 0x14, TPM_RC_SUCCESS, 8 bytes.
check "--tpm-tis: Linux finds the TPM, reads its event log, gets random bytes from it" \
	bash -c "grep -q '^linux-tpm tpm0$' '$T/tis.out' && grep -q '^linux-tpm-log=ok$' '$T/tis.out' &&
		grep -Eq '^linux-getrandom 800100000014000000000008[0-9a-f]{16}$' '$T/tis.out'"
check "--tpm-tis: the vault creates a key" grep -q '^vault-create-rc=0$' "$T/tis.out"

# AVX: QEMU's "max" CPU has it (TCG), qemu64 has not. VTL1 runs with
# CR4.OSXSAVE clear, so it cannot touch the upper halves of YMM0-15; the
# FXSAVE switch covers the rest (docs/hypervisor.md "VTL1").
CMD5='grep -c "^flags.* avx " /proc/cpuinfo | sed "s/^/avx-cpus /"
vtl-xmm ymm 20000; echo "ymm0-rc=$?"
taskset -c 1 vtl-xmm ymm 20000; echo "ymm1-rc=$?"
echo guest-done'
boot avx "$T/exp5" --cpu max --smp 2 -- sh -c "$CMD5"
check "--cpu max: the guest sees AVX on both CPUs (CPUID's OSXSAVE follows the guest's CR4)" \
	grep -q '^avx-cpus 2$' "$T/avx.out"
for c in 0 1; do
	check "--cpu max: YMM0-15 (all 256 bits) of a user process survive 20,000 VTL calls on CPU $c" \
		bash -c "grep -q '^ymm$c-rc=0$' '$T/avx.out' && grep -c '^vtl-xmm ymm calls=20000 ok=20000 mismatches=0 errors=0 ' '$T/avx.out' | grep -q 2"
done

keep_logs_on_failure vtl1-logs
exit $((failures != 0))
