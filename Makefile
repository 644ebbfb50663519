# ukva: an i386 PAE research kernel.  `make` builds, `make run` runs the
# experiments (every mode, Linux beside them), `make test` runs the whole
# suite.  See README.md.
#
# Targets:  all (the kernel; installs nothing)   deps (install missing tools)
#           run  test  boot  bench  bench-numa  plugin  profile  fuzz  soak  iso  bochs  gdb  clean
# Knobs:    make run FULL=1 RUNS=3 MODES=shared,per-task MACHINES=2g-1cpu
#           make boot MEM=8G QEMU=qemu-system-x86_64 CMDLINE="ktest=all" SMP=4
#           make test T=64g          only the configurations matching 64g
#           ACCEL=kvm                on a host whose KVM runs 32-bit guests

CC      := gcc
BUILD   := build
LD_SCRIPT := $(BUILD)/linker.ld

# The kernel is C11, freestanding, 32-bit, with no FPU/SSE state to save.
KCFLAGS := -m32 -std=c11 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	   -fno-omit-frame-pointer -mgeneral-regs-only -mno-red-zone \
	   -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -I. -MMD -MP
KASFLAGS := -m32 -I. -D__ASSEMBLER__ -MMD -MP
KLDFLAGS := -m32 -nostdlib -static -no-pie -Wl,-T,$(LD_SCRIPT) \
	    -Wl,-z,max-page-size=0x1000 -Wl,--build-id=none -Wl,-z,noexecstack

KERNEL_DIRS := boot arch/i386 mm mm/ukva kernel numa
KERNEL_SRCS := $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.c $(d)/*.S))
KERNEL_OBJS := $(patsubst %,$(BUILD)/%.o,$(KERNEL_SRCS))

KERNEL  := $(BUILD)/kernel.elf
ISO     := $(BUILD)/ukva.iso

# The machine `make boot`, `make gdb`, `make iso` and `make bochs` boot.
# 2 GiB: more than the ~896 MiB direct map, so highmem is in play, yet all
# below 4 GiB, so qemu-system-i386 can run it.  Override any of these.
QEMU    ?= qemu-system-i386
ACCEL   ?= tcg
MEM     ?= 2G
SMP     ?= 1
# The benchmark, in the mode the project studies (per-task); make run runs
# it in every mode side by side.
CMDLINE ?= init=/bin/ukva_bench mm=per-task
BOCHS_MEGS    ?= 128
BOCHS_CPUS    ?= 1
BOCHS_TIMEOUT ?= 600

.DEFAULT_GOAL := all
# The user-space part, when there is one, builds the initrd (a multiboot
# module); without it, an initrd is passed only if one is already there.
ifneq ($(wildcard user/user.mk),)
include user/user.mk
INITRD  ?= $(BUILD)/initrd.cpio
else
INITRD  ?= $(wildcard $(BUILD)/initrd.cpio)
endif
export QEMU ACCEL MEM SMP CMDLINE INITRD

.PHONY: all kernel iso run boot test bench bench-numa plugin profile fuzz soak gdb bochs clean deps
all: kernel

# Targets that boot something first install what is missing (as root; see
# scripts/install-deps.sh), then build through a sub-make so that, even
# with -j, nothing is compiled before the compiler is there.
deps:
	@scripts/install-deps.sh

# The experiments (experiments/run.py, docs/benchmarks.md): ukva_bench in
# every mode on the quick matrix (FULL=1: every machine), Debian's Linux
# and the host beside them; results/<date>-<commit>/, results/latest.
run: deps
	@$(MAKE) --no-print-directory kernel $(INITRD)
	python3 -m experiments.run $(if $(filter-out 0,$(FULL)),--full) $(if $(RUNS),--runs $(RUNS)) \
	  $(if $(MODES),--modes '$(MODES)') $(if $(MACHINES),--machines '$(MACHINES)')

# One boot with COM1 on this terminal (MEM, SMP, QEMU, CMDLINE, INITRD).
boot: deps
	@$(MAKE) --no-print-directory kernel $(INITRD)
	scripts/run-qemu.sh

# The host suites and every machine of tests/qemu/configs.py (or those
# whose names match T, e.g. T=64g or T="qemu-* bochs*").
test: deps
	@$(MAKE) --no-print-directory kernel $(INITRD)
	python3 tests/qemu/harness.py $(if $(T),'$(T)')

# Boot timings of the test machines (or those matching T), then ukva_bench
# in every mode on 128 MiB and 64 GiB and on this host, side by side
# (docs/benchmarks.md).  RUNS=N boots per column (default 3).
bench: deps
	@$(MAKE) --no-print-directory kernel $(INITRD)
	python3 tests/qemu/bench.py $(if $(RUNS),--runs $(RUNS)) $(if $(T),'$(T)')

# The system call fuzzer, 10 million calls per mode on 1 and on 2 CPUs,
# one machine at a time (docs/testing.md).  SEED=N CALLS=M repeats one run;
# MODES, CPUS, AVOID and TIMEOUT narrow or widen it.
fuzz: deps
	@$(MAKE) --no-print-directory kernel $(INITRD)
	SEED=$(or $(SEED),1) CALLS=$(or $(CALLS),10000000) scripts/fuzz.sh

# The SMP soak: 10^7 context switches with TLB shootdowns on 4 CPUs,
# bounded by SOAK_SECONDS of the guest's clock (user/soak/soak.c,
# docs/testing.md); on a busy host the guest's seconds run slow, so the
# wall-clock bound is twice that and 5 minutes more.
SOAK_SWITCHES ?= 10000000
SOAK_SECONDS  ?= 3600
soak: deps
	@$(MAKE) --no-print-directory kernel $(INITRD)
	@mkdir -p $(BUILD)/fuzz-logs
	timeout -s KILL $$(( 2 * $(SOAK_SECONDS) + 300 )) env SERIAL=stdio SMP=4 MEM=128M \
	  CMDLINE="init=/bin/soak mm=$(or $(MODE),per-task) -- --switches $(SOAK_SWITCHES) --seconds $(SOAK_SECONDS)" \
	  scripts/run-qemu.sh < /dev/null | tee $(BUILD)/fuzz-logs/soak.log | grep --line-buffered -E '^# soak|ok |panic|Oops'; \
	  grep -q "^ok 1 soak" $(BUILD)/fuzz-logs/soak.log

# Kernel text locality per mode on the NUMA machines (tests/qemu/bench_numa.py),
# sampled, and exactly through the TCG plugin.
bench-numa: deps
	@$(MAKE) --no-print-directory kernel $(INITRD) plugin
	python3 tests/qemu/bench_numa.py --plugin $(if $(RUNS),--runs $(RUNS))

# The TCG plugin counting kernel text instructions by node (a host .so).
plugin: $(BUILD)/textloc.so
$(BUILD)/textloc.so: tests/qemu/plugin/textloc.c
	@mkdir -p $(BUILD)
	$(CC) -shared -fPIC -O2 -Wall -Wextra -Wno-unused-parameter -Werror -o $@ $<

# Boot CMDLINE with the sampling profiler on, PROFILE samples per tick
# (the timer at PROFILE * 100 Hz), COM1 into build/profile.log; then print
# the top kernel functions of each ukva_bench benchmark and of each CPU and
# mode over the whole run (docs/benchmarks.md).
PROFILE ?= 20
profile: deps
	@$(MAKE) --no-print-directory kernel $(INITRD)
	@CMDLINE="$(CMDLINE) profile=$(PROFILE)" SERIAL=file:$(BUILD)/profile.log \
	  scripts/run-qemu.sh -monitor none; status=$$?; \
	  python3 scripts/profile.py $(BUILD)/profile.log && exit $$status

iso: deps
	@$(MAKE) --no-print-directory $(ISO)

gdb: deps
	@$(MAKE) --no-print-directory kernel $(INITRD)
	scripts/gdb.sh

# Boot the ISO in Bochs, its screen in this terminal, COM1 into a file
# that is shown afterwards.  Bochs ignores SIGTERM: BOCHS_TIMEOUT bounds it.
bochs: deps
	@$(MAKE) --no-print-directory $(ISO)
	@UKVA_ISO=$(ISO) UKVA_SERIAL=$(BUILD)/bochs-serial.log UKVA_LOG=$(BUILD)/bochs.log \
	  UKVA_MEGS=$(BOCHS_MEGS) UKVA_CPUS=$(BOCHS_CPUS) TERM=$${TERM:-dumb} timeout -s KILL $(BOCHS_TIMEOUT) \
	  bochs -q -f tests/qemu/bochsrc.txt -rc tests/qemu/bochs-debugger.rc || true
	@echo "--- COM1 ($(BUILD)/bochs-serial.log) ---"; cat $(BUILD)/bochs-serial.log
	@grep -q "Shutdown port: shutdown requested" $(BUILD)/bochs.log || \
	  { echo "bochs: stopped without the kernel's shutdown; see $(BUILD)/bochs.log"; exit 1; }

# The ISO is rebuilt when the kernel, the initrd or the options change.
$(BUILD)/iso-options: FORCE
	@mkdir -p $(BUILD)
	@echo '$(CMDLINE) | $(INITRD)' | cmp -s - $@ || echo '$(CMDLINE) | $(INITRD)' > $@

$(ISO): $(KERNEL) $(INITRD) $(BUILD)/iso-options boot/grub.cfg.in scripts/mkiso.sh
	scripts/mkiso.sh $@ "$(CMDLINE)" $(INITRD)

FORCE:

kernel: $(KERNEL)

$(BUILD)/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(KASFLAGS) -c $< -o $@

# Two-pass link: the first pass has an empty symbol table; its function
# addresses generate the real table, which the linker script places after
# text so the second pass moves no function.  The check proves it.
$(BUILD)/ksyms-empty.S:
	@mkdir -p $(dir $@)
	printf '\t.section .ksyms, "a"\n\t.long 0\n' > $@

$(BUILD)/%.S.o: $(BUILD)/%.S
	$(CC) $(KASFLAGS) -c $< -o $@

# The linker script takes its addresses from mm/memlayout.h: linker.ld.S
# through the preprocessor (-undef: no predefined macro such as i386).
$(LD_SCRIPT): linker.ld.S
	@mkdir -p $(dir $@)
	$(CC) -E -P -undef -x c -D__ASSEMBLER__ -I. -MMD -MP -MT $@ -MF $@.d $< -o $@

$(BUILD)/kernel-pass1.elf: $(KERNEL_OBJS) $(BUILD)/ksyms-empty.S.o $(LD_SCRIPT)
	$(CC) $(KLDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/ksyms-empty.S.o -lgcc

$(BUILD)/ksyms.S: $(BUILD)/kernel-pass1.elf scripts/gen-ksyms.py
	nm -n $< | python3 scripts/gen-ksyms.py > $@

$(KERNEL): $(KERNEL_OBJS) $(BUILD)/ksyms.S.o $(LD_SCRIPT)
	$(CC) $(KLDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/ksyms.S.o -lgcc
	@nm -n $(BUILD)/kernel-pass1.elf | grep -i ' t ' > $(BUILD)/syms-pass1.txt
	@nm -n $@ | grep -i ' t ' > $(BUILD)/syms-final.txt
	@cmp -s $(BUILD)/syms-pass1.txt $(BUILD)/syms-final.txt || \
		{ echo "symbol table moved functions between link passes"; exit 1; }
	objdump -d $@ > $(BUILD)/kernel.asm
	nm -n $@ > $(BUILD)/kernel.sym

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
