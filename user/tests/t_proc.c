/*
 * Process identity and the end of a process: getpid, getppid, gettid, exit,
 * exit_group, the auxiliary vector, unknown system call numbers, and the
 * registers a system call must leave alone.
 */
#include "child.h"
#include "ktap.h"
#include "start.h"
#include "syscall.h"

/* getpid is stable and, in a single-threaded process, equals gettid. */
static void getpid_is_gettid(void)
{
	long pid = sys_getpid();

	EXPECT_GE(pid, 1);
	EXPECT_EQ(sys_getpid(), pid);
	EXPECT_EQ(sys_gettid(), pid);
}

/* Child side of getppid_in_child: checks its ids against the parent's. */
static int check_ids(void *parent)
{
	EXPECT_EQ(sys_getppid(), (long)parent);
	EXPECT_NE(sys_getpid(), (long)parent);
	EXPECT_EQ(sys_gettid(), sys_getpid());
	return ktap_failed();
}

/* A child's getppid is its parent's getpid; its own pid is new. */
static void getppid_in_child(void)
{
	EXPECT_EXIT(child_run(check_ids, (void *)sys_getpid()), 0);
}

/* Child sides of exit_codes: exit(2) or exit_group(2) with code. */
static int do_exit(void *code)
{
	sys_exit((int)(long)code);
}

static int do_exit_group(void *code)
{
	sys_exit_group((int)(long)code);
}

/* exit and exit_group end a single-threaded process with the given code;
 * only its low 8 bits reach the parent. */
static void exit_codes(void)
{
	EXPECT_EXIT(child_run(do_exit, (void *)42), 42);
	EXPECT_EXIT(child_run(do_exit, (void *)0), 0);
	EXPECT_EXIT(child_run(do_exit_group, (void *)7), 7);
	EXPECT_EXIT(child_run(do_exit_group, (void *)255), 255);
	EXPECT_EXIT(child_run(do_exit_group, (void *)0x1ff), 0xff);
	EXPECT_EXIT(child_run(do_exit, (void *)256), 0);
}

/* The kernel passes the page size in the auxiliary vector (AT_PAGESZ). */
static void auxv_page_size(void)
{
	EXPECT_EQ(getauxval(AT_PAGESZ), PAGE_SIZE);
}

/* Numbers beyond the table, or negative, are -ENOSYS, not a crash. */
static void unknown_syscall_enosys(void)
{
	EXPECT_ERRNO(raw_syscall(999, 0, 0, 0, 0, 0, 0), ENOSYS);
	EXPECT_ERRNO(raw_syscall(0x7fffffff, 0, 0, 0, 0, 0, 0), ENOSYS);
	EXPECT_ERRNO(raw_syscall(-1, 0, 0, 0, 0, 0, 0), ENOSYS);
	EXPECT_ERRNO(raw_syscall((long)0x80000000, 0, 0, 0, 0, 0, 0), ENOSYS);
}

/* Makes getpid with a known value in every other general register; returns
 * a mask of the registers that came back changed: ebx 1, ecx 2, edx 4,
 * esi 8, edi 16, ebp 32. */
static unsigned regs_changed_by_syscall(void)
{
	unsigned changed;

	__asm__ volatile(
		"push %%ebp\n\t"
		"mov $0x11111111, %%ebx\n\t"
		"mov $0x22222222, %%ecx\n\t"
		"mov $0x33333333, %%edx\n\t"
		"mov $0x44444444, %%esi\n\t"
		"mov $0x55555555, %%edi\n\t"
		"mov $0x66666666, %%ebp\n\t"
		"mov $20, %%eax\n\t"		/* __NR_getpid */
		"int $0x80\n\t"
		"xor %%eax, %%eax\n\t"
		"cmp $0x11111111, %%ebx\n\t"
		"je 1f\n\t"
		"or $1, %%eax\n"
		"1:\tcmp $0x22222222, %%ecx\n\t"
		"je 2f\n\t"
		"or $2, %%eax\n"
		"2:\tcmp $0x33333333, %%edx\n\t"
		"je 3f\n\t"
		"or $4, %%eax\n"
		"3:\tcmp $0x44444444, %%esi\n\t"
		"je 4f\n\t"
		"or $8, %%eax\n"
		"4:\tcmp $0x55555555, %%edi\n\t"
		"je 5f\n\t"
		"or $16, %%eax\n"
		"5:\tcmp $0x66666666, %%ebp\n\t"
		"je 6f\n\t"
		"or $32, %%eax\n"
		"6:\tpop %%ebp"
		: "=a"(changed)
		:
		: "ebx", "ecx", "edx", "esi", "edi", "cc", "memory");
	return changed;
}

/* A system call returns its result in eax and changes no other register. */
static void syscall_keeps_registers(void)
{
	EXPECT_EQ(regs_changed_by_syscall(), 0);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(getpid_is_gettid),
	KTAP_CASE(getppid_in_child),
	KTAP_CASE(exit_codes),
	KTAP_CASE(auxv_page_size),
	KTAP_CASE(unknown_syscall_enosys),
	KTAP_CASE(syscall_keeps_registers),
};

int main(void)
{
	return ktap_run("t_proc", cases, ARRAY_SIZE(cases));
}
