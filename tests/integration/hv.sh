#!/usr/bin/env bash
# The hypervisor on the boot CPU, end to end (docs/hypervisor.md), through
# scripts/testbed with --smp 1:
#   1. a boot without hv.bin on the ESP (control): vbsctl sees no OpenVBS;
#      that run's ESP is saved;
#   2. the same ESP plus \EFI\OpenVBS\hv.bin and its signature: the loader
#      starts the hypervisor, Linux reaches /init as its guest, vbsctl
#      finds OpenVBS by its CPUID signature on CPU 0 with rising exit
#      counters, prefixed CPUID resumes after itself, SVM instructions
#      raise #UD, SVM is gone from /proc/cpuinfo, a small workload runs,
#      the TPM event log has hv.bin's SHA-256 in PCR 11,
#      the hypervisor's region (EfiReservedMemoryType, "Reserved" in
#      /proc/iomem) reads back through /dev/mem at full length as zeros
#      without the canary the image carries, a write to it through
#      /dev/mem is dropped and logged, a PCI BAR above the memory map
#      (--pci-mmio64) is mapped on first touch and reads back what was
#      written (as in the control run), and the hypervisor log shows no
#      fatal exit;
#   3. the ESP of 2 on the SMM firmware build (--smm): SMIs arrive while
#      the guest runs, the hypervisor lets SMM run, the guest reaches /init;
#   4. the same with one byte of hv.bin flipped: the loader rejects the
#      signature, does not start it, and Linux runs without it.
# TAP lines "ok - ..." / "not ok - ..."; non-zero exit on any failure.
#
# Run 1 boots with --no-hv and saves its ESP; runs 2-4 add hv.bin to a copy
# of that very ESP (--esp), so the hypervisor is the only difference; the
# ESP carries run 1's initramfs and command (and its /export marker: run 1
# exports too).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

B=${B:-build}
. tests/integration/lib/tap.sh
. tests/integration/lib/boot.sh
tap_begin openvbs-hv

# The CPL-0 probe module is built against the guest kernel's headers.
build_for_test "hv.bin, vbs-sign, vbsctl, hv-probe, hv_probe_kmod.ko" \
	"$B/hv/hv.bin" "$B/host/vbs-sign" \
	"$B/guest/bin/vbsctl" "$B/guest/bin/hv-probe" "$B/guest/bin/hv_probe_kmod.ko"

# The guest command, the same in all runs. The workload: fork+exec,
# file I/O, a few thousand syscalls.
CMD='vbsctl hv --json; echo "vbsctl-rc=$?"
i=0; while [ $i -lt 300 ]; do /bin/true; i=$((i + 1)); done
dd if=/dev/zero of=/root/f bs=4k count=2000 2>/dev/null && sync && cat /root/f | wc -c
vbsctl hv --json
hv-probe cpuid-prefix; hv-probe vmmcall-ud; hv-probe svm-insn
echo "svm-flags=$(grep -cw svm /proc/cpuinfo)"
cat /sys/kernel/security/tpm0/binary_bios_measurements >/export/log.bin 2>/dev/null
# CPL-0 probes (hypercalls, SVM instructions): only under the hypervisor,
# where VMMCALL is intercepted (natively it would be #UD in the kernel).
if vbsctl hv >/dev/null 2>&1; then
	insmod /usr/bin/hv_probe_kmod.ko && dmesg | sed -n "s/^.*hv-probe-kmod: /kmod: /p"
fi
devmem_scan() {
	grep -E "^[0-9a-f]+-[0-9a-f]+ : Reserved$" /proc/iomem | while read -r r _; do
		s=${r%-*}; e=${r#*-}; n=$((0x$e - 0x$s + 1))
		[ $n -le 16777216 ] && [ $((0x$s % 4096)) -eq 0 ] && [ $((n % 4096)) -eq 0 ] || continue
		dd if=/dev/mem of=/root/r bs=4096 skip=$((0x$s / 4096)) count=$((n / 4096)) 2>/dev/null
		echo "devmem-$1 $s $e $n $(wc -c </root/r) $(grep -a -c OpenVBS-hv-canary /root/r) $(tr -d "\000" </root/r | wc -c)"
	done
}
devmem_scan read | tee /root/scan
# Write only where the hypervisor hides memory: a large Reserved range that
# read as zeros (never firmware reserved memory).
while read -r _ s _ n _ _ nz; do
	[ "$nz" = 0 ] && [ "$n" -ge 1048576 ] || continue
	dd if=/dev/urandom of=/dev/mem bs=4096 seek=$((0x$s / 4096 + 8)) count=1 conv=notrunc 2>/dev/null
	echo "devmem-write $s rc=$?"
done </root/scan
devmem_scan reread
# MMIO above the memory map: the test device'"'"'s 64-bit BAR (--pci-mmio64),
# written and read back through a mapping of /dev/mem (busybox devmem).
for d in /sys/bus/pci/devices/*; do
	[ "$(cat $d/vendor):$(cat $d/device)" = 0x1af4:0x1110 ] || continue
	bar=$(sed -n 3p $d/resource | cut -d" " -f1)
	devmem $((bar + 0x1000)) 32 0x4f564253
	echo "mmio64 $bar $(devmem $((bar + 0x1000)) 32)"
done
echo "guest-alive"'

boot() { # name esp-args...
	local name=$1
	shift
	boot_logged "$name" 180 --smp 1 --pci-mmio64 "$@" -- sh -c "$CMD"
}

json_field() { # file line-number python-expression
	python3 - "$1" "$2" "$3" <<'PY'
import json, sys
lines = [l for l in open(sys.argv[1]) if l.startswith("{")]
d = json.loads(lines[int(sys.argv[2])])
print(eval(sys.argv[3], {}, {"d": d}))
PY
}

# 1. control run, no hypervisor
boot control --no-hv --save-esp "$T/esp.img" --export "$T/control-export"
check "control: the guest ran (no hv.bin on the ESP)" grep -q '^vbsctl-rc=1$' "$T/control.out"
check "control: vbsctl reports OpenVBS absent" \
	[ "$(json_field "$T/control.out" 0 'd["present"]')" = False ]
check "control: the loader says no hypervisor runs" \
	grep -q 'no hypervisor running' "$T/control/console.log"

# 2. with the signed hypervisor
cp "$B/hv/hv.bin" "$T/hv.bin"
"$B/host/vbs-sign" sign --kind hv "$T/hv.bin" >/dev/null
cp "$T/esp.img" "$T/esp-hv.img"
MTOOLS_SKIP_CHECK=1 mcopy -o -i "$T/esp-hv.img" "$T/hv.bin" "$T/hv.bin.sig" ::/EFI/OpenVBS/
boot hv --esp "$T/esp-hv.img" --export "$T/hv-export"
check "hv: the guest command ran to the end" grep -q '^svm-flags=' "$T/hv.out"
check "hv: the loader started the hypervisor" \
	grep -q 'OpenVBS: HYPERVISOR: running' "$T/hv/console.log"
check "hv: the hypervisor log shows the boot CPU virtualized" \
	grep -q '^\[hv cpu0\] .*boot CPU virtualized' "$T/hv/hv.log"
check "hv: the hypervisor's own page tables are W^X (read back at boot)" \
	grep -q '^\[hv cpu0\] host W^X: text ' "$T/hv/hv.log"
check "hv: no fatal exit, panic or exception in the hypervisor log" \
	bash -c "! grep -Eq 'FATAL|PANIC|EXCEPTION' '$T/hv/hv.log'"
python3 tests/integration/lib/tpm_eventlog.py list "$T/hv-export/log.bin" >"$T/events.txt" 2>&1
measured=$(awk '$2 == "PCR11" && $3 == "EV_IPL" && index($0, "OpenVBS hypervisor image") { print $4; exit }' "$T/events.txt")
check "hv: PCR 11 'OpenVBS hypervisor image' = SHA-256 of hv.bin (${measured:-none})" \
	[ "$measured" = "$(sha256sum <"$T/hv.bin" | cut -d' ' -f1)" ]
check "hv: vbsctl exits 0 (present)" grep -q '^vbsctl-rc=0$' "$T/hv.out"
check "hv: OpenVBS present by its signature on CPU 0" \
	[ "$(json_field "$T/hv.out" 0 'd["present"] and d["vendor"] == "OpenVBSHyper" and d["cpu"] == 0 and d["hv_cpu"] == 0')" = True ]
first=$(json_field "$T/hv.out" 0 'd["exits"]["total"]' 2>/dev/null)
second=$(json_field "$T/hv.out" 1 'd["exits"]["total"]' 2>/dev/null)
check "hv: CPU 0's exit counters rise ($first -> $second)" \
	bash -c "[ -n '$first' ] && [ -n '$second' ] && [ '$second' -gt '$first' ]"
check "hv: CPUID exits counted" \
	[ "$(json_field "$T/hv.out" 1 'd["exits"]["cpuid"] > 0 and d["exits"]["cpuid"] <= d["exits"]["total"]')" = True ]
check "hv: the workload's file I/O completed (8192000 bytes)" grep -q '^8192000$' "$T/hv.out"
grep -E '^(not )?ok - ' "$T/hv.out" | sed -e 's/^ok - /ok - hv: /' -e 's/^not ok - /not ok - hv: /' |
	while IFS= read -r line; do echo "$line"; done
failures=$((failures + $(grep -c '^not ok - ' "$T/hv.out")))
# The hypervisor's region, from its log: "region BASE-END".
region=$(sed -n 's/^\[hv cpu0\] region \([0-9a-f]*\)-\([0-9a-f]*\),.*/\1 \2/p' "$T/hv/hv.log")
check "hv: the image carries the canary (so finding none below means something)" \
	grep -aq 'OpenVBS-hv-canary' "$B/hv/hv.bin"
devmem_check() { # kind: read|reread
	python3 - "$T/hv.out" "$1" $region <<'PY'
import sys
out, kind, base, end = sys.argv[1], sys.argv[2], int(sys.argv[3], 16), int(sys.argv[4], 16)
for l in open(out):
    f = l.split()
    if len(f) == 7 and f[0] == "devmem-" + kind:
        s, e, n, got, hits, nonzero = int(f[1], 16), int(f[2], 16), *map(int, f[3:])
        if s <= base and end <= e + 1:
            print(f"# {kind}: {f[1]}-{f[2]}: {got} of {n} bytes, canary {hits}, nonzero bytes {nonzero}")
            sys.exit(0 if got == n and hits == 0 and nonzero == 0 else 1)
print(f"# no /dev/mem {kind} of a Reserved range holding {base:x}-{end:x}")
sys.exit(1)
PY
}
check "hv: /dev/mem read of the hypervisor region: full length, zeros, no canary" devmem_check read
check "hv: a /dev/mem write into the hypervisor region was dropped and logged" \
	grep -q 'guest write to hypervisor memory dropped' "$T/hv/hv.log"
check "hv: after the write the region still reads as zeros" devmem_check reread
check "hv: the guest lives on after the dropped write" grep -q '^guest-alive$' "$T/hv.out"
mmio64=$(sed -n 's/^mmio64 0x0*\([0-9a-f]*\) .*/\1/p' "$T/hv.out")
check "control: a 64-bit BAR above the memory map (${mmio64:-none}) reads back what was written" \
	grep -q '^mmio64 0x[0-9a-f]* 0x4F564253$' "$T/control.out"
check "hv: the same BAR through the nested page tables reads back what was written" \
	grep -q '^mmio64 0x[0-9a-f]* 0x4F564253$' "$T/hv.out"
check "hv: the hypervisor mapped that GiB on first touch" \
	grep -q "MMIO at $(printf %x $((0x${mmio64:-0} + 0x1000))): GiB $(printf %x $((0x${mmio64:-0} & ~0x3fffffff))) mapped" "$T/hv/hv.log"
sed -n 's/^kmod: \(\(not \)\{0,1\}ok\) - /\1 - hv: CPL 0: /p' "$T/hv.out"
failures=$((failures + $(grep -c '^kmod: not ok - ' "$T/hv.out")))
check "hv: all 17 CPL-0 probes of the module ran" \
	[ "$(grep -cE '^kmod: (not )?ok - ' "$T/hv.out")" -eq 17 ]
check "hv: all 11 guest probes ran" [ "$(grep -cE '^(not )?ok - ' "$T/hv.out")" -eq 11 ]
check "hv: SVM hidden from Linux (/proc/cpuinfo)" grep -q '^svm-flags=0$' "$T/hv.out"
check "control: SVM visible without the hypervisor (the check can fail)" \
	grep -q '^svm-flags=1$' "$T/control.out"

# 3. SMM firmware: SMI exits handled
boot smm --smm --esp "$T/esp-hv.img"
check "smm: the guest command ran to the end" grep -q '^guest-alive$' "$T/smm.out"
check "smm: OpenVBS present, SMI exits counted" \
	[ "$(json_field "$T/smm.out" 1 'd["present"] and d["exits"]["smi"] > 0')" = True ]
check "smm: no fatal exit, panic or exception in the hypervisor log" \
	bash -c "grep -q 'virtualized' '$T/smm/hv.log' && ! grep -Eq 'FATAL|PANIC|EXCEPTION' '$T/smm/hv.log'"

# 4. a tampered image is not started
cp "$T/hv.bin" "$T/bad.bin"
# one byte inverted (a fixed value could equal what is there already)
python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[4096] ^= 0xff
open(sys.argv[1], "wb").write(b)' "$T/bad.bin"
cmp -s "$T/hv.bin" "$T/bad.bin" && not_ok "tampered: the copy differs from hv.bin"
cp "$T/esp.img" "$T/esp-bad.img"
MTOOLS_SKIP_CHECK=1 mcopy -o -i "$T/esp-bad.img" "$T/bad.bin" ::/EFI/OpenVBS/hv.bin
MTOOLS_SKIP_CHECK=1 mcopy -o -i "$T/esp-bad.img" "$T/hv.bin.sig" ::/EFI/OpenVBS/hv.bin.sig
boot tampered --esp "$T/esp-bad.img"
check "tampered: the loader rejects the signature" \
	grep -q 'HYPERVISOR: signature REJECTED' "$T/tampered/console.log"
check "tampered: the hypervisor did not start (empty log)" \
	bash -c "! grep -q 'virtualized' '$T/tampered/hv.log' 2>/dev/null"
check "tampered: Linux runs without it (vbsctl: absent)" grep -q '^vbsctl-rc=1$' "$T/tampered.out"

keep_logs_on_failure hv-logs
exit $((failures != 0))
