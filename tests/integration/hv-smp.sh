#!/usr/bin/env bash
# Every CPU under the hypervisor (docs/hypervisor.md "Application
# processors"), through scripts/testbed with --smp 1, 2 and 4:
#   - Linux brings all CPUs up; the hypervisor log shows each AP taken over
#     at the OS's start-up vector;
#   - on each CPU (taskset) `vbsctl hv --json` finds OpenVBS on that very
#     CPU with its exit counters rising;
#   - a workload keeps every CPU busy for 30 s (fork+exec, file I/O, a few
#     thousand syscalls per round) and each CPU's counters rise meanwhile;
#   - (--smp 2) 20 offline/online cycles of CPU 1 leave it virtualized:
#     INIT and SIPI to a virtualized CPU are emulated, never sent;
#   - vbs-check run on the last CPU sees OpenVBS there and passes R1;
#   - the hypervisor log has no fatal exit, panic or exception.
# TAP lines "ok - ..." / "not ok - ..."; non-zero exit on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

B=${B:-build}
. tests/integration/lib/tap.sh
. tests/integration/lib/boot.sh
tap_begin openvbs-hv-smp

build_for_test "hv.bin and vbsctl" "$B/hv/hv.bin" "$B/guest/bin/vbsctl"

WORK_SECONDS=${WORK_SECONDS:-30}
CYCLES=${CYCLES:-20}

# The guest command; $1 = offline/online cycles of CPU 1.
guest_cmd() {
	cat <<EOF
n=\$(nproc); echo "cpus=\$n"
per_cpu() { c=0; while [ \$c -lt \$n ]; do echo "\$1 cpu\$c \$(taskset -c \$c vbsctl hv --json)"; c=\$((c + 1)); done; }
per_cpu before
per_cpu before2
end=\$((\$(cut -d. -f1 /proc/uptime) + $WORK_SECONDS))
c=0
while [ \$c -lt \$n ]; do
	taskset -c \$c sh -c 'i=0; while [ \$(cut -d. -f1 /proc/uptime) -lt '\$end' ]; do
		/bin/true; dd if=/dev/zero of=/root/w\$\$ bs=4k count=16 2>/dev/null
		dd if=/root/w\$\$ of=/dev/null bs=64 2>/dev/null; i=\$((i + 1)); done
		echo "work cpu'\$c' rounds=\$i"' &
	c=\$((c + 1))
done
wait
per_cpu after
k=0
while [ \$k -lt $1 ]; do
	echo 0 >/sys/devices/system/cpu/cpu1/online || echo "offline-failed \$k"
	echo 1 >/sys/devices/system/cpu/cpu1/online || echo "online-failed \$k"
	k=\$((k + 1))
done
echo "cycles=\$k online=\$(cat /sys/devices/system/cpu/cpu1/online 2>/dev/null)"
per_cpu cycled
echo "vbscheck-cpu1 \$(taskset -c \$((n - 1)) vbs-check --json 2>/dev/null | tr -d '\\n')"
echo "guest-done"
EOF
}

# field FILE TAG CPU PYTHON-EXPR: evaluate on the JSON of "TAG cpuN {...}"
field() {
	python3 - "$@" <<'PY'
import json, sys
path, tag, cpu, expr = sys.argv[1:5]
for l in open(path):
    f = l.split(" ", 2)
    if len(f) == 3 and f[0] == tag and f[1] == "cpu" + cpu:
        d = json.loads(f[2])
        print(eval(expr, {}, {"d": d}))
        sys.exit(0)
print("missing")
PY
}

run() { # smp cycles
	local smp=$1 cycles=$2 name="smp$1" c
	boot_logged "$name" 600 --smp "$smp" -- sh -c "$(guest_cmd "$cycles")"
	check "$name: the guest command ran to the end" grep -q '^guest-done$' "$T/$name.out"
	check "$name: Linux brought up $smp CPUs" grep -q "^cpus=$smp\$" "$T/$name.out"
	check "$name: the hypervisor log shows $((smp - 1)) APs taken over" \
		[ "$(grep -c 'virtualized; guest starts at' "$T/$name/hv.log")" -ge $((smp - 1)) ]
	for ((c = 0; c < smp; c++)); do
		check "$name: CPU $c: OpenVBS present on that CPU" \
			[ "$(field "$T/$name.out" before $c 'd["present"] and d["vendor"] == "OpenVBSHyper" and d["hv_cpu"] == '$c)" = True ]
		check "$name: CPU $c: exit counters rise" \
			[ "$(python3 -c "import sys; a, b = sys.argv[1:]; print(a.isdigit() and b.isdigit() and int(b) > int(a))" \
				"$(field "$T/$name.out" before $c 'd["exits"]["total"]')" \
				"$(field "$T/$name.out" before2 $c 'd["exits"]["total"]')")" = True ]
		check "$name: CPU $c: busy for ${WORK_SECONDS}s ($(sed -n "s/^work cpu$c rounds=//p" "$T/$name.out") rounds), counters rose" \
			[ "$(python3 -c "import sys; a, b, r = sys.argv[1:]; print(a.isdigit() and b.isdigit() and int(b) > int(a) and r.isdigit() and int(r) > 0)" \
				"$(field "$T/$name.out" before2 $c 'd["exits"]["total"]')" \
				"$(field "$T/$name.out" after $c 'd["exits"]["total"]')" \
				"$(sed -n "s/^work cpu$c rounds=//p" "$T/$name.out")")" = True ]
	done
	if [ "$cycles" -gt 0 ]; then
		check "$name: $cycles offline/online cycles of CPU 1 completed" \
			grep -q "^cycles=$cycles online=1\$" "$T/$name.out"
		check "$name: no offline/online failed" bash -c "! grep -q -- '-failed' '$T/$name.out'"
		check "$name: CPU 1 still virtualized after them (taskset -c 1 vbsctl hv --json)" \
			[ "$(field "$T/$name.out" cycled 1 'd["present"] and d["hv_cpu"] == 1')" = True ]
		check "$name: each cycle's INIT and SIPI were emulated (hypervisor log)" \
			[ "$(grep -c 'SIPI (emulated): guest restarts' "$T/$name/hv.log")" -ge "$cycles" ]
	fi
	check "$name: vbs-check on the last CPU sees OpenVBS, R1 passes" \
		python3 -c 'import json, sys
for l in open(sys.argv[1]):
    if l.startswith("vbscheck-cpu1 "):
        d = json.loads(l.split(" ", 1)[1])
        r1 = [c for c in d["checks"] if c["requirement"] == "R1"][0]
        print("# vbs-check R1:", r1["result"], "-", r1.get("message"))
        sys.exit(0 if r1["result"] == "pass" and d["host"]["hypervisor_vendor"] == "OpenVBSHyper" else 1)
sys.exit(1)' "$T/$name.out"
	check "$name: no fatal exit, panic or exception in the hypervisor log" \
		bash -c "grep -q 'boot CPU virtualized' '$T/$name/hv.log' && ! grep -Eq 'FATAL|PANIC|EXCEPTION' '$T/$name/hv.log'"
}

run 1 0
run 2 "$CYCLES"
run 4 0

keep_logs_on_failure hv-smp-logs
exit $((failures != 0))
