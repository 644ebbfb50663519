# ukva: an i386 PAE research kernel.  `make` builds, `make run` boots it in
# QEMU, `make test` runs the whole suite.  See README.md.

CC      := gcc
LD_SCRIPT := linker.ld
BUILD   := build

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

.PHONY: all kernel iso run test bench gdb bochs clean deps
all: kernel

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
