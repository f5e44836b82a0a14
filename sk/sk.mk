# sk/: the secure kernel image, build/sk/sk.bin (docs/secure-kernel.md).
#
# NOT YET LOADED OR RUN: no loader loads it and the hypervisor has no VTL1
# so far. Built like hv.bin (hv/hv.mk): freestanding, -Werror, no libc, a
# static PIE linked at 0 that relocates itself (R_X86_64_RELATIVE only,
# checked below), plus Debian's libbearssl.a for the cryptography and
# four objects of Debian's libsodium.a for Ed25519 (the rest of that
# archive wants malloc, mmap, pthreads: docs/secure-kernel.md). The
# only C library symbols it gets are sk/core/libc.c's and
# lib/image/cmem.c's (memcpy & co., shared with hv.bin); nothing may be
# left undefined (checked below). BearSSL's headers come from a directory
# holding only them, so no libc header can slip in; <string.h> is
# sk/include/string.h.
SK_SRCS := $(wildcard sk/core/*.c sk/services/*.c sk/arch/x86/*.c)
SK_ASM := $(wildcard sk/arch/x86/*.S)
SK_HDRS := $(wildcard sk/core/*.h sk/services/*.h sk/arch/x86/*.h sk/include/*.h) \
	$(wildcard include/vbs/*.h lib/base/*.h)
BEARSSL_A := $(shell $(CC) -print-file-name=libbearssl.a)
BEARSSL_INC ?= /usr/include/bearssl
LIBSODIUM_A := $(shell $(CC) -print-file-name=libsodium.a)
SK_SODIUM_OBJS := $(addprefix $(B)/sk/sodium/libsodium_la-,ed25519_ref10.o \
	hash_sha512_cp.o keypair.o sign.o)
SK_CFLAGS := $(filter-out -fno-pic -mcmodel=kernel,$(FREESTANDING_CFLAGS)) \
	-Isk -Isk/include -isystem $(B)/sk/inc -fpie -mcmodel=small \
	-mgeneral-regs-only -fno-asynchronous-unwind-tables -fno-jump-tables
# lib/ sources the image shares with hv.bin, built with the image's flags.
SK_LIB_SRCS := lib/base/reloc.c lib/image/cmem.c
SK_OBJS := $(patsubst sk/%.c,$(B)/sk/%.o,$(SK_SRCS)) \
	$(patsubst sk/%.S,$(B)/sk/%.o,$(SK_ASM)) \
	$(patsubst lib/%.c,$(B)/sk/lib/%.o,$(SK_LIB_SRCS))

$(B)/sk/lib/%.o: lib/%.c lib/base/reloc.h
	@mkdir -p $(@D)
	$(CC) $(SK_CFLAGS) -c $< -o $@

# -isystem $(B)/sk/inc: $(B)/sk/inc/bearssl -> the packaged headers.
$(B)/sk/inc/bearssl/bearssl.h:
	@mkdir -p $(B)/sk/inc
	ln -sfn $(BEARSSL_INC) $(B)/sk/inc/bearssl

$(B)/sk/%.o: sk/%.c $(SK_HDRS) $(B)/sk/inc/bearssl/bearssl.h
	@mkdir -p $(@D)
	$(CC) $(SK_CFLAGS) -c $< -o $@

# The C library stand-ins must not become calls to themselves.
$(B)/sk/core/libc.o $(B)/sk/lib/image/cmem.o: SK_CFLAGS += -fno-tree-loop-distribute-patterns

$(B)/sk/%.o: sk/%.S $(SK_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SK_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

# Ed25519 (RFC 8032) from libsodium: exactly these members of the archive.
$(SK_SODIUM_OBJS) &: $(LIBSODIUM_A)
	@mkdir -p $(B)/sk/sodium
	cd $(B)/sk/sodium && ar x $(abspath $(LIBSODIUM_A)) $(notdir $(SK_SODIUM_OBJS))
	@touch $(SK_SODIUM_OBJS)

# $(call sk_link,objects): the static PIE, checked (relocations, symbols).
define sk_link
	ld -nostdlib -static -pie --no-dynamic-linker -z noexecstack \
		-z norelro -z max-page-size=4096 --no-warn-rwx-segments -T sk/sk.lds \
		$(1) $(SK_SODIUM_OBJS) $(BEARSSL_A) -o $@
	@bad=$$(readelf -rW $@ | awk '/^[0-9a-f]+ / && $$3 != "R_X86_64_RELATIVE"'); \
	if [ -n "$$bad" ]; then echo "sk: relocations other than RELATIVE:" >&2; \
		echo "$$bad" >&2; rm -f $@; exit 1; fi
	@undef=$$(nm -u $@); if [ -n "$$undef" ]; then \
		echo "sk: undefined: $$undef" >&2; rm -f $@; exit 1; fi
endef

# The flat image from the ELF $<; the header's file_size (0x18) and
# mem_size (0x20) from the link.
define sk_flatten
	objcopy -O binary --remove-section=.bss $< $@.tmp
	@python3 -c 'import struct, sys; \
		syms = {l.split()[2]: int(l.split()[0], 16) for l in open(sys.argv[2]) if len(l.split()) == 3}; \
		b = bytearray(open(sys.argv[1], "rb").read()); \
		assert b[:8] == b"OVBS-SK1" and syms["sk_header"] == 0; \
		assert len(b) <= syms["__file_end"]; \
		b += bytes(syms["__file_end"] - len(b)); \
		b[0x18:0x28] = struct.pack("<QQ", syms["__file_end"], syms["__image_end"]); \
		open(sys.argv[1], "wb").write(b)' $@.tmp <(nm $<)
	mv $@.tmp $@
endef

$(B)/sk/sk.elf: $(SK_OBJS) sk/sk.lds $(BEARSSL_A) $(SK_SODIUM_OBJS)
	$(call sk_link,$(SK_OBJS))

$(B)/sk/sk.bin: $(B)/sk/sk.elf
	$(sk_flatten)

# Test images for tests/integration/vtl1-fault.sh, never installed by
# anything else: sk.bin with one deliberate exception at the end of
# sk_main on CPU 0, after its page tables are loaded (core/main.c,
# SK_TEST_FAULT): wx = a write to its own code (#PF), df = an exception
# on a read-only stack with the #PF stack read-only too (#DF on IST1),
# overflow = a recursion off CPU 0's call stack into its guard page
# (#PF on IST2, reported as a stack overflow).
SK_TEST_FAULT_wx := 1
SK_TEST_FAULT_df := 2
SK_TEST_FAULT_overflow := 3
SK_TEST_FAULTS := wx df overflow
$(B)/sk/test/main-%.o: sk/core/main.c $(SK_HDRS) $(B)/sk/inc/bearssl/bearssl.h
	@mkdir -p $(@D)
	$(CC) $(SK_CFLAGS) -DSK_TEST_FAULT=$(SK_TEST_FAULT_$*) -c $< -o $@

$(B)/sk/test/sk-fault-%.elf: $(B)/sk/test/main-%.o \
		$(filter-out $(B)/sk/core/main.o,$(SK_OBJS)) sk/sk.lds $(BEARSSL_A) \
		$(SK_SODIUM_OBJS)
	$(call sk_link,$< $(filter-out $(B)/sk/core/main.o,$(SK_OBJS)))

$(B)/sk/test/sk-fault-%.bin: $(B)/sk/test/sk-fault-%.elf
	$(sk_flatten)

.SECONDARY: $(patsubst %,$(B)/sk/test/main-%.o,$(SK_TEST_FAULTS)) \
	$(patsubst %,$(B)/sk/test/sk-fault-%.elf,$(SK_TEST_FAULTS))
ALL += $(patsubst %,$(B)/sk/test/sk-fault-%.bin,$(SK_TEST_FAULTS))
ALL += $(B)/sk/sk.bin
include sk/fuzz.mk
