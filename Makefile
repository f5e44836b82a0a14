# OpenVBS top-level build.
#
#   make            build everything that builds on the host
#   make run        the main job: boot the protected system (scripts/testbed,
#                   through vbsboot.efi; a guest shell on the serial console)
#   make check      the readiness report of this host (vbs-check)
#   make test       the whole suite; ends with "N passed, N failed"
#   make fuzz       run every fuzz target for FUZZ_SECONDS each (default 60)
#
# Each component describes itself in its own *.mk, included below; they
# add to the variables ALL, UNIT_TESTS and FUZZERS.

.DEFAULT_GOAL := all
SHELL := /bin/bash
B ?= build

CC ?= gcc
CLANG ?= clang
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wvla -Wpointer-arith -Wundef -Wformat=2
INCLUDES := -Iinclude -Ilib

# Freestanding code (lib/, later boot/, hv/, sk/): no libc, no host headers.
FREESTANDING_CFLAGS := -std=c11 -O2 -g $(WARN) $(INCLUDES) -ffreestanding \
	-fno-builtin -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-fno-stack-protector -mno-red-zone -fno-pic -mcmodel=kernel
# UEFI applications (gnu-efi): freestanding and position-independent.
EFI_CFLAGS := -std=c11 -O2 -g $(WARN) $(INCLUDES) -ffreestanding -fno-builtin \
	-nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-fno-stack-protector -mno-red-zone -fpic -fshort-wchar -maccumulate-outgoing-args
# Host code: tools and tests.
HOST_CFLAGS := -std=gnu11 -O2 -g $(WARN) $(INCLUDES) -D_GNU_SOURCE
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
FUZZ_FLAGS := -std=gnu11 -O1 -g $(INCLUDES) -D_GNU_SOURCE \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

ALL :=
UNIT_TESTS :=
FUZZERS :=
GUEST_BINS :=   # static programs that scripts/testbed puts in the guest's /usr/bin

include lib/lib.mk
include boot/boot.mk
include hv/hv.mk
-include sk/sk.mk
include $(wildcard guest/*/*.mk)
include tools/tools.mk
include tests/tests.mk

.PHONY: all guest deps run check bench test unit fuzz clean
all: $(ALL) $(GUEST_BINS)

guest: $(GUEST_BINS)

deps:
	@scripts/deps

run: deps all
	@scripts/run $(ARGS)

check: deps all
	@scripts/check $(ARGS)

# The side-by-side benchmark (docs/performance.md), not a test.
bench: deps all
	@scripts/bench $(ARGS)

test: deps
	@$(MAKE) --no-print-directory all $(UNIT_TESTS) $(FUZZERS)
	@UNIT_TESTS="$(UNIT_TESTS)" FUZZERS="$(FUZZERS)" tests/run

unit: $(UNIT_TESTS)
	@UNIT_TESTS="$(UNIT_TESTS)" FUZZERS= ONLY=unit tests/run

FUZZ_SECONDS ?= 60
fuzz: deps $(FUZZERS)
	@UNIT_TESTS= FUZZERS="$(FUZZERS)" FUZZ_SECONDS=$(FUZZ_SECONDS) ONLY=fuzz tests/run

clean:
	rm -rf $(B)
