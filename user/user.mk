# user/user.mk: the user runtime (user/lib), the test programs (user/tests),
# the benchmark (user/bench), /init, and the initrd that carries them to the
# kernel.
#
# The top-level Makefile includes this file; it also works alone, from the
# repository root:
#   make -f user/user.mk user            build/user/init and build/user/bin/*
#   make -f user/user.mk initrd          build/initrd.cpio
#   make -f user/user.mk user-host-test  run the suite on this Linux host
#
# It reads and defines only USER_* variables, so the includer's CC, CFLAGS
# and so on neither leak in nor get changed.

USER_MK := $(lastword $(MAKEFILE_LIST))
USER_SAVED_GOAL := $(.DEFAULT_GOAL)

USER_SRC := user
USER_OUT := build/user
USER_INITRD := build/initrd.cpio
USER_CC := gcc
USER_AR := ar
USER_CPIO := cpio
# The same flags compile and link: static, no libc, no PIE, no stack
# protector (there is no TLS canary for it to read).  -I. (last) reaches
# abi/, the kernel/user ABI headers the kernel includes too.
USER_CFLAGS := -m32 -static -nostdlib -ffreestanding -fno-pic -no-pie \
	-fno-stack-protector -O2 -std=c11 -Wall -Wextra -Werror -g \
	-I$(USER_SRC)/lib -I$(USER_OUT) -I. -MMD -MP
# libgcc provides the 64-bit division that printf's %llu needs.
USER_LDLIBS := -lgcc

# t_*.c are test programs (init runs them); h_*.c are helpers they execve;
# a_*.c are the attack suite (init runs them when started as /attack; never
# on the host: they exhaust memory and abuse the CPU).
USER_TESTS := $(sort $(basename $(notdir \
	$(wildcard $(USER_SRC)/tests/t_*.c))))
USER_ATTACKS := $(sort $(basename $(notdir \
	$(wildcard $(USER_SRC)/tests/a_*.c))))
USER_HELPERS := $(sort $(basename $(notdir \
	$(wildcard $(USER_SRC)/tests/h_*.c))))
USER_PROGS := $(USER_TESTS) $(USER_HELPERS) $(USER_ATTACKS)
# user/bench/*.c together make one program, ukva_bench (not run by init),
# but for capacity.c and cap_tasks.S, which make the program capacity with
# ukva_bench's measure.c.
USER_CAP_SRCS := $(USER_SRC)/bench/capacity.c
USER_BENCH_SRCS := $(filter-out $(USER_CAP_SRCS),$(wildcard $(USER_SRC)/bench/*.c))
USER_BENCH_OBJS := $(patsubst $(USER_SRC)/%.c,$(USER_OUT)/%.o,$(USER_BENCH_SRCS))
USER_CAP_OBJS := $(USER_OUT)/bench/capacity.o $(USER_OUT)/bench/cap_tasks.o \
	$(USER_OUT)/bench/measure.o
# user/bench/numa/numa_bench.c is numa_bench, the NUMA text-locality run.
USER_NUMA_BENCH_SRC := $(USER_SRC)/bench/numa/numa_bench.c
# user/fuzz/*.c make the fuzzer, fuzz; user/soak/*.c the SMP soak, soak
# (neither run by init: docs/testing.md).
USER_FUZZ_SRCS := $(wildcard $(USER_SRC)/fuzz/*.c)
USER_FUZZ_OBJS := $(patsubst $(USER_SRC)/%.c,$(USER_OUT)/%.o,$(USER_FUZZ_SRCS))
USER_SOAK_SRCS := $(wildcard $(USER_SRC)/soak/*.c)
USER_SOAK_OBJS := $(patsubst $(USER_SRC)/%.c,$(USER_OUT)/%.o,$(USER_SOAK_SRCS))
USER_BINS := $(addprefix $(USER_OUT)/bin/,$(USER_PROGS)) \
	$(USER_OUT)/bin/h_notelf $(USER_OUT)/bin/ukva_bench $(USER_OUT)/bin/capacity \
	$(USER_OUT)/bin/numa_bench $(USER_OUT)/bin/fuzz $(USER_OUT)/bin/soak
USER_INIT := $(USER_OUT)/init

USER_C_SRCS := $(wildcard $(USER_SRC)/lib/*.c) $(USER_SRC)/init.c \
	$(patsubst %,$(USER_SRC)/tests/%.c,$(USER_PROGS)) $(USER_BENCH_SRCS) \
	$(USER_CAP_SRCS) $(USER_NUMA_BENCH_SRC) $(USER_FUZZ_SRCS) $(USER_SOAK_SRCS)
USER_S_SRCS := $(wildcard $(USER_SRC)/lib/*.S $(USER_SRC)/bench/*.S)
USER_C_OBJS := $(patsubst $(USER_SRC)/%.c,$(USER_OUT)/%.o,$(USER_C_SRCS))
USER_S_OBJS := $(patsubst $(USER_SRC)/%.S,$(USER_OUT)/%.o,$(USER_S_SRCS))
# Linked first and explicitly into every program: the entry point and the
# code that calls main. The rest of lib/ goes into an archive, from which
# the linker takes only what a program uses.
USER_START := $(USER_OUT)/lib/crt0.o $(USER_OUT)/lib/start.o
USER_LIB := $(USER_OUT)/lib/libuser.a
USER_LIB_OBJS := $(filter-out $(USER_START),\
	$(filter $(USER_OUT)/lib/%,$(USER_C_OBJS) $(USER_S_OBJS)))

.PHONY: user initrd user-host-test
user: $(USER_INIT) $(USER_BINS)
initrd: $(USER_INITRD)
user-host-test: user
	tests/host/run-user-suite.sh

# GCC would turn the loops of memset and memcpy into calls to themselves.
$(USER_OUT)/lib/string.o: USER_EXTRA := -fno-tree-loop-distribute-patterns

$(USER_C_OBJS) $(USER_S_OBJS): $(USER_MK)

$(USER_C_OBJS): $(USER_OUT)/%.o: $(USER_SRC)/%.c
	@mkdir -p $(@D)
	$(USER_CC) $(USER_CFLAGS) $(USER_EXTRA) -c $< -o $@

$(USER_S_OBJS): $(USER_OUT)/%.o: $(USER_SRC)/%.S
	@mkdir -p $(@D)
	$(USER_CC) $(USER_CFLAGS) -c $< -o $@

$(USER_LIB): $(USER_LIB_OBJS)
	@rm -f $@
	$(USER_AR) rcs $@ $^

# Link $@: the start file, its objects (the prerequisites but the start
# file and the runtime), then the runtime.
define USER_LINK
	@mkdir -p $(@D)
	$(USER_CC) $(USER_CFLAGS) -o $@ $(USER_START) $(filter-out $(USER_START) $(USER_LIB),$^) \
		$(USER_LIB) $(USER_LDLIBS)
endef

$(addprefix $(USER_OUT)/bin/,$(USER_PROGS)): $(USER_OUT)/bin/%: \
		$(USER_OUT)/tests/%.o $(USER_START) $(USER_LIB)
	$(USER_LINK)
$(USER_OUT)/bin/ukva_bench: $(USER_BENCH_OBJS) $(USER_START) $(USER_LIB)
	$(USER_LINK)
$(USER_OUT)/bin/capacity: $(USER_CAP_OBJS) $(USER_START) $(USER_LIB)
	$(USER_LINK)
$(USER_OUT)/bin/fuzz: $(USER_FUZZ_OBJS) $(USER_START) $(USER_LIB)
	$(USER_LINK)
$(USER_OUT)/bin/soak: $(USER_SOAK_OBJS) $(USER_START) $(USER_LIB)
	$(USER_LINK)
$(USER_OUT)/bin/numa_bench: $(USER_OUT)/bench/numa/numa_bench.o $(USER_START) $(USER_LIB)
	$(USER_LINK)

# A file that is executable but not an ELF image: execve must say ENOEXEC.
$(USER_OUT)/bin/h_notelf: $(USER_SRC)/tests/h_notelf.txt
	@mkdir -p $(@D)
	cp $< $@
	chmod 755 $@

# init runs the programs listed here; there is no readdir to find them.
# The directory is a prerequisite because adding or removing a test changes
# its modification time.
$(USER_OUT)/tests.h: $(USER_SRC)/tests $(USER_MK)
	@mkdir -p $(@D)
	{ echo '/* Generated by $(USER_MK) from $(USER_SRC)/tests/t_*.c. */'; \
	  for t in $(USER_TESTS); do echo "\"$$t\","; done; } > $@
$(USER_OUT)/attacks.h: $(USER_SRC)/tests $(USER_MK)
	@mkdir -p $(@D)
	{ echo '/* Generated by $(USER_MK) from $(USER_SRC)/tests/a_*.c. */'; \
	  for t in $(USER_ATTACKS); do echo "\"$$t\","; done; } > $@
$(USER_OUT)/init.o: $(USER_OUT)/tests.h $(USER_OUT)/attacks.h

$(USER_INIT): $(USER_OUT)/init.o $(USER_START) $(USER_LIB)
	$(USER_LINK)

# The initrd: a cpio "newc" archive holding /init, the directory /bin and
# every program in it. Owners are root and names are sorted, so the archive
# depends only on the files.
$(USER_INITRD): $(USER_INIT) $(USER_BINS)
	rm -rf $(USER_OUT)/root
	mkdir -p $(USER_OUT)/root/bin
	cp $(USER_INIT) $(USER_OUT)/root/init
	cp $(USER_INIT) $(USER_OUT)/root/attack
	cp $(USER_BINS) $(USER_OUT)/root/bin/
	cd $(USER_OUT)/root && find init attack bin | LC_ALL=C sort | \
		$(USER_CPIO) -o -H newc -R 0:0 --quiet > $(abspath $@)

-include $(wildcard $(USER_OUT)/*.d $(USER_OUT)/*/*.d)

# Alone, build everything by default; included, keep the includer's default.
ifeq ($(firstword $(MAKEFILE_LIST)),$(USER_MK))
.DEFAULT_GOAL := user
else
.DEFAULT_GOAL := $(USER_SAVED_GOAL)
endif
