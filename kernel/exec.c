/*
 * execve: load a static ELF32 executable from the initrd into a new
 * address space, lay out the initial stack as Linux does (System V i386
 * ABI, figure 3-31), and return to user space at the entry point.
 *
 * Everything that can fail happens before the point of no return: the
 * arguments are copied into the kernel and the new mm is fully built
 * while the old one still runs.
 */
#include "kernel/exec.h"
#include "kernel/task.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/errno.h"
#include "kernel/elf.h"
#include "kernel/initrd.h"
#include "kernel/string.h"
#include "kernel/uaccess.h"
#include "kernel/file.h"
#include "kernel/panic.h"
#include "kernel/time.h"
#include "kernel/bootparam.h"
#include "mm/mm.h"
#include "mm/mman.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"
#include "mm/ukva/ukva.h"
#include "arch/i386/tls.h"
#include "arch/i386/segment.h"
#include "arch/i386/cpu.h"
#include "arch/i386/tlb.h"
#include "abi/auxvec.h"

#define PATH_MAX        4096
#define ARG_ORDER       5                       /* 128 KiB for argv + envp strings */
#define ARG_MAX         (PAGE_SIZE << ARG_ORDER)
#define MAX_ARGS        1024                    /* pointers in argv + envp */
/*
 * The stack ends a page below the top of user space, which stays unmapped:
 * as on Linux (whose stack starts below a random gap), a pointer to the
 * last byte of user space faults instead of reading the stack's strings.
 */
#define STACK_TOP       (USER_END - PAGE_SIZE)
#define STACK_SIZE      (8u << 20)              /* the usual 8 MiB rlimit */
/* The initial stack is built in a kernel copy of the top of the user stack. */
#define STACK_IMAGE_SIZE (PAGE_SIZE * 8)
#define STACK_IMAGE_BASE (STACK_TOP - STACK_IMAGE_SIZE)

/* The arguments and environment, copied out of the old address space. */
struct exec_args {
	char *strings;                  /* argv strings, then envp strings, NUL-separated */
	size_t used;
	int argc, envc;
	char path[PATH_MAX];
};

/* Append the strings of a user pointer array (argv or envp); returns the count or -errno. */
static int copy_strings(struct exec_args *a, uintptr_t uarray)
{
	int n = 0;

	if (!uarray)
		return 0;                       /* Linux accepts NULL as an empty array */
	for (;; n++) {
		uint32_t ustr;
		if (a->argc + a->envc + n >= MAX_ARGS)
			return -E2BIG;
		if (get_user_u32(&ustr, uarray + 4u * (uint32_t)n))
			return -EFAULT;
		if (!ustr)
			return n;
		long len = strncpy_from_user(a->strings + a->used, ustr, (long)(ARG_MAX - a->used));
		if (len < 0)
			return len == -ENAMETOOLONG ? -E2BIG : (int)len;
		a->used += (size_t)len + 1;
	}
}

/* The user PTE bits and VMAs of each PT_LOAD, then their contents. */
static int load_segments(struct mm *mm, const struct elf_image *img, const char *file)
{
	for (unsigned i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *s = &img->seg[i];
		uint32_t start = s->vaddr & PAGE_MASK;
		uint32_t end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
		/* Like mmap(MAP_FIXED): a later segment takes over a page it shares. */
		int err = vma_remove_range(&mm->vmas, start, end, NULL, NULL);
		if (!err)
			err = vma_insert(&mm->vmas, start, end, s->prot, VM_ANON);
		if (err)
			return err;
	}
	for (unsigned i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *s = &img->seg[i];
		int err = mm_copy_to(mm, s->vaddr, file + s->offset, s->filesz);
		if (err)
			return err;
	}
	mm->start_brk = mm->brk = ALIGN_UP(img->brk, PAGE_SIZE);
	return 0;
}

/* Push len bytes below *sp into the stack image; returns their user address. */
static uint32_t push_bytes(char *image, uint32_t *sp, const void *src, size_t len)
{
	*sp -= len;
	memcpy(image + (*sp - STACK_IMAGE_BASE), src, len);
	return *sp;
}

/*
 * Build the initial stack in a kernel buffer mirroring the top 32 KiB of the
 * user stack, then copy it into mm.  Returns 0 with the initial ESP in *esp,
 * or -errno.  (User addresses above 2 GiB are negative as a long: never
 * return one where an errno could be.)
 */
static int build_stack(struct mm *mm, const struct exec_args *a, const struct elf_image *img,
		       uint32_t *esp)
{
	char *image = kzalloc(STACK_IMAGE_SIZE, GFP_KERNEL);
	uint32_t sp = STACK_TOP, strp[MAX_ARGS + 1];
	size_t vec_bytes = (size_t)(a->argc + a->envc + 3) * 4 + 20 * 8;

	if (!image)
		return -ENOMEM;
	if (a->used + strlen(a->path) + 64 + vec_bytes > STACK_IMAGE_SIZE) {
		kfree(image);
		return -E2BIG;
	}
	uint32_t execfn = push_bytes(image, &sp, a->path, strlen(a->path) + 1);
	const char *s = a->strings;
	for (int i = 0; i < a->argc + a->envc; i++) {
		strp[i] = push_bytes(image, &sp, s, strlen(s) + 1);
		s += strlen(s) + 1;
	}
	uint64_t seed[2] = { rdtsc(), ktime_get_ns() ^ ((uint64_t)current->tid << 32) };
	uint32_t random = push_bytes(image, &sp, seed, sizeof(seed));

	uint32_t auxv[] = {
		AT_PHDR, img->phdr_vaddr, AT_PHENT, img->phentsize, AT_PHNUM, img->phnum,
		AT_PAGESZ, PAGE_SIZE, AT_BASE, 0, AT_FLAGS, 0, AT_ENTRY, img->entry,
		AT_UID, 0, AT_EUID, 0, AT_GID, 0, AT_EGID, 0, AT_HWCAP, cpuid(1).edx,
		AT_CLKTCK, HZ, AT_SECURE, 0, AT_RANDOM, random, AT_EXECFN, execfn, AT_NULL, 0,
	};
	/* argc at a 16-byte aligned ESP (i386 psABI), then argv, envp, auxv. */
	size_t words = 1 + (size_t)a->argc + 1 + (size_t)a->envc + 1 + ARRAY_SIZE(auxv);
	sp = (sp - words * 4) & ~15u;
	uint32_t *w = (uint32_t *)(image + (sp - STACK_IMAGE_BASE));
	*w++ = (uint32_t)a->argc;
	for (int i = 0; i < a->argc; i++)
		*w++ = strp[i];
	*w++ = 0;
	for (int i = 0; i < a->envc; i++)
		*w++ = strp[a->argc + i];
	*w++ = 0;
	memcpy(w, auxv, sizeof(auxv));

	int err = mm_copy_to(mm, sp, image + (sp - STACK_IMAGE_BASE), STACK_TOP - sp);
	kfree(image);
	*esp = sp;
	return err;
}

/* A complete new address space running the program: 0 with its entry and ESP, or -errno. */
static int build_mm(struct mm *mm, const struct exec_args *a, const void *file, size_t size,
		    uint32_t *entry, uint32_t *esp)
{
	struct elf_image img;
	const char *reason;

	if (elf_parse(file, size, &img, &reason) < 0)
		return -ENOEXEC;
	int err = load_segments(mm, &img, file);
	uint32_t stack_prot = PROT_READ | PROT_WRITE;
	if (img.stack != ELF_STACK_NOEXEC)
		stack_prot |= PROT_EXEC;        /* Linux i386 without PT_GNU_STACK */
	if (!err)
		err = vma_insert(&mm->vmas, STACK_TOP - STACK_SIZE, STACK_TOP, stack_prot,
				 VM_ANON | VM_STACK);
	if (err)
		return err;
	*entry = img.entry;
	return build_stack(mm, a, &img, esp);
}

/* The registers a new program starts with: only EIP and ESP mean anything. */
static void start_thread(struct trap_frame *f, uint32_t eip, uint32_t esp)
{
	*f = (struct trap_frame){
		.eip = eip, .user_esp = esp, .esp = esp,
		.cs = __USER_CS, .user_ss = __USER_DS,
		.ds = __USER_DS, .es = __USER_DS, .fs = __USER_DS, .gs = 0,
		.eflags = EFLAGS_IF | 0x2,      /* bit 1 is always set */
	};
}

/*
 * Switch the current task to mm and drop the old one: the point of no
 * return, unless the mode cannot give the task a window for mm (-ENOMEM).
 */
static int exec_mmap(struct mm *mm)
{
	struct mm *old = current->mm;
	uint32_t flags = local_irq_save();
	int err = ukva_task_attach(current, mm);

	if (!err)
		current->mm = mm;
	local_irq_restore(flags);
	if (!err && old)
		mm_put(old);
	return err;
}

/* The program's name for ps-like output: the last path component. */
static void set_comm(const char *path)
{
	const char *base = path;
	for (const char *p = path; *p; p++)
		if (*p == '/' && p[1])
			base = p + 1;
	size_t n = strnlen(base, TASK_COMM_LEN - 1);
	memcpy(current->comm, base, n);
	current->comm[n] = '\0';
}

/* Load a.path into a new mm and make it the current program; 0 or -errno. */
static int do_execve(struct exec_args *a, struct trap_frame *frame)
{
	const void *file;
	size_t size;
	uint32_t entry = 0, esp = 0;

	int err = initrd_lookup_exec(a->path, &file, &size);
	if (err)
		return err;
	struct mm *mm = mm_create();
	if (!mm)
		return -ENOMEM;
	err = build_mm(mm, a, file, size, &entry, &esp);
	/* Linux's de_thread: the new program runs alone, without clear_child_tid. */
	if (!err)
		err = kill_other_threads();
	if (!err) {
		/*
		 * Linux's mm_release at exec: the word is written (and its waiter
		 * woken) only while another task still shares the old mm (CLONE_VM
		 * without CLONE_THREAD); the new program never inherits it.
		 */
		if (current->mm && mm_tasks(current->mm) > 1)
			clear_child_tid(current);
		current->clear_child_tid = 0;
		err = exec_mmap(mm);
	}
	exec_done();
	if (err) {
		mm_put(mm);
		return err;
	}
	tls_clear(current);
	fpu_exec_reset();
	set_comm(a->path);
	start_thread(frame, entry, esp);
	return 0;
}

static struct exec_args *alloc_args(void)
{
	struct exec_args *a = kzalloc(sizeof(*a), GFP_KERNEL);
	struct page *strings = alloc_pages(GFP_KERNEL, ARG_ORDER);

	if (!a || !strings) {
		kfree(a);
		if (strings)
			free_pages(strings, ARG_ORDER);
		return NULL;
	}
	a->strings = page_address(strings);
	return a;
}

static void free_args(struct exec_args *a)
{
	free_pages(virt_to_page(a->strings), ARG_ORDER);
	kfree(a);
}

/*
 * execve(2).  A path the caller cannot read is EFAULT before anything is
 * allocated, as on Linux: with memory gone it must not say ENOMEM first.
 */
SYSCALL_DEFINE3(execve, uintptr_t, upath, uintptr_t, uargv, uintptr_t, uenvp)
{
	struct exec_args *a;
	char first;
	long err;

	if (copy_from_user(&first, upath, 1))
		return -EFAULT;
	a = alloc_args();
	if (!a)
		return -ENOMEM;
	err = strncpy_from_user(a->path, upath, PATH_MAX);
	if (err >= 0)
		err = a->argc = copy_strings(a, uargv);
	if (err >= 0)
		err = a->envc = copy_strings(a, uenvp);
	if (err >= 0)
		err = do_execve(a, current_user_frame());
	free_args(a);
	return err;
}

__attribute__((noreturn)) void enter_user_mode(const struct trap_frame *frame); /* switch.S */

/*
 * Give the current kernel thread what a process has: a thread group it
 * leads, and files 0-2 on the console.  It also becomes the reaper of
 * orphans.  Returns 0 or -ENOMEM.
 */
static int become_user_process(void)
{
	struct thread_group *g = thread_group_create(current);
	struct files *files = files_create_console();

	if (!g || !files) {
		if (g)
			list_del_init(&current->thread_node);
		kfree(g);
		if (files)
			files_put(files);
		return -ENOMEM;
	}
	current->group = g;
	current->files = files;
	child_reaper = current;
	return 0;
}

/* Append init's arguments, the space-separated words after "--" on the
 * boot command line, to a's argv (words that do not fit are dropped). */
static void add_init_args(struct exec_args *a)
{
	for (const char *s = boot_init_args(); *s; ) {
		size_t n = 0;

		while (s[n] && s[n] != ' ')
			n++;
		if (n > 0 && a->used + n + 1 <= ARG_MAX && a->argc < MAX_ARGS) {
			memcpy(a->strings + a->used, s, n);
			a->strings[a->used + n] = '\0';
			a->used += n + 1;
			a->argc++;
		}
		s += n;
		while (*s == ' ')
			s++;
	}
}

int run_init_process(const char *path)
{
	static struct trap_frame init_frame;
	struct exec_args *a = alloc_args();
	int err = -ENOMEM;

	if (!a)
		return err;
	size_t n = strnlen(path, PATH_MAX - 1);
	memcpy(a->path, path, n);
	memcpy(a->strings, path, n + 1);
	a->used = n + 1;
	a->argc = 1;
	add_init_args(a);
	err = become_user_process();
	if (!err)
		err = do_execve(a, &init_frame);
	free_args(a);
	if (err)
		return err;
	enter_user_mode(&init_frame);
}
