/*
 * set_thread_area (Linux arch/x86/kernel/tls.c, whose rules this follows:
 * which descriptors are "empty", which are refused, how -1 allocates).
 */
#include "arch/i386/tls.h"
#include "arch/i386/gdt.h"
#include "arch/i386/desc.h"
#include "kernel/task.h"
#include "kernel/syscall.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/uaccess.h"

/* struct user_desc (asm/ldt.h): the flag bits are one 32-bit word. */
struct user_desc {
	uint32_t entry_number;
	uint32_t base_addr;
	uint32_t limit;
	uint32_t flags;
};

#define UD_SEG_32BIT            (1u << 0)
#define UD_CONTENTS(f)          (((f) >> 1) & 3)        /* 0 data, 1 stack, 2-3 code */
#define UD_READ_EXEC_ONLY       (1u << 3)
#define UD_LIMIT_IN_PAGES       (1u << 4)
#define UD_SEG_NOT_PRESENT      (1u << 5)
#define UD_USEABLE              (1u << 6)

/* Linux's "empty": what a cleared slot reads back as. */
static bool desc_empty(const struct user_desc *u)
{
	return u->base_addr == 0 && u->limit == 0 &&
	       (u->flags & 0x7F) == (UD_READ_EXEC_ONLY | UD_SEG_NOT_PRESENT);
}

static bool desc_zero(const struct user_desc *u)
{
	return u->base_addr == 0 && u->limit == 0 && (u->flags & 0x7F) == 0;
}

/* Only present 32-bit data segments may be installed (or a slot cleared). */
static bool desc_okay(const struct user_desc *u)
{
	if (desc_empty(u) || desc_zero(u))
		return true;
	return (u->flags & UD_SEG_32BIT) && UD_CONTENTS(u->flags) <= 1 &&
	       !(u->flags & UD_SEG_NOT_PRESENT);
}

/* The GDT descriptor a user_desc describes: DPL 3, data (SDM vol. 3A 3.4.5). */
static struct desc_struct make_desc(const struct user_desc *u)
{
	if (desc_empty(u) || desc_zero(u))
		return (struct desc_struct){ 0, 0 };
	uint8_t type = (uint8_t)(1 | (!(u->flags & UD_READ_EXEC_ONLY) << 1) |
				 (UD_CONTENTS(u->flags) << 2));
	uint8_t access = (uint8_t)(0x80 | 0x60 | 0x10 | type);    /* P, DPL 3, S */
	uint8_t gran = (uint8_t)(((u->flags & UD_LIMIT_IN_PAGES) ? 8 : 0) |
				 ((u->flags & UD_SEG_32BIT) ? 4 : 0) |
				 ((u->flags & UD_USEABLE) ? 1 : 0));
	return pack_descriptor(u->base_addr, u->limit, access, gran);
}

static int free_slot(const struct task *t)
{
	for (int i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++)
		if (!t->tls[i].lo && !t->tls[i].hi)
			return GDT_ENTRY_TLS_MIN + i;
	return -ESRCH;
}

int tls_set_from_user(struct task *t, uintptr_t uaddr, bool can_allocate)
{
	struct user_desc u;

	if (copy_from_user(&u, uaddr, sizeof(u)))
		return -EFAULT;
	if (!desc_okay(&u))
		return -EINVAL;
	int idx = (int)u.entry_number;
	if (idx == -1 && can_allocate) {
		idx = free_slot(t);
		if (idx < 0)
			return idx;
		if (put_user_u32((uint32_t)idx, uaddr))
			return -EFAULT;
	}
	if (idx < GDT_ENTRY_TLS_MIN || idx > GDT_ENTRY_TLS_MAX)
		return -EINVAL;
	t->tls[idx - GDT_ENTRY_TLS_MIN] = make_desc(&u);
	if (t == current) {
		uint32_t flags = local_irq_save();
		tls_load(t);
		local_irq_restore(flags);
	}
	return 0;
}

void tls_copy(struct task *dst, const struct task *src)
{
	memcpy(dst->tls, src->tls, sizeof(dst->tls));
}

void tls_clear(struct task *t)
{
	memset(t->tls, 0, sizeof(t->tls));
	if (t == current) {
		uint32_t flags = local_irq_save();
		tls_load(t);
		local_irq_restore(flags);
	}
}

/*
 * IRET to ring 3 wants SS to be a present, writable data segment whose DPL
 * and RPL are 3 (SDM vol. 2A, IRET, "RETURN-TO-OUTER-PRIVILEGE-LEVEL").
 * The only such GDT entries are __USER_DS and the TLS slots; there is no
 * LDT, so a user cannot load a TI=1 selector at all.
 */
bool tls_user_ss_ok(const struct task *t, uint16_t sel)
{
	unsigned idx = sel >> 3;

	if (sel & 4 || idx < GDT_ENTRY_TLS_MIN || idx > GDT_ENTRY_TLS_MAX)
		return true;
	uint8_t access = desc_access(t->tls[idx - GDT_ENTRY_TLS_MIN]);
	uint8_t type = access & DESC_TYPE_MASK;
	return (access & DESC_P) && (access & DESC_S) && DESC_DPL_OF(access) == 3 &&
	       (sel & 3) == 3 && !(type & 0x8) && (type & DESC_TYPE_DATA_RW);
}

void tls_load(const struct task *t)
{
	struct cpu_descriptors *cd = this_cpu_descriptors();

	for (int i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++)
		cd->gdt[GDT_ENTRY_TLS_MIN + i] = t->tls[i];
}

SYSCALL_DEFINE1(set_thread_area, uintptr_t, uinfo)
{
	return tls_set_from_user(current, uinfo, true);
}
