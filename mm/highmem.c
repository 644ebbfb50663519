/*
 * kmap and kmap_atomic (cf. Linux mm/highmem.c, arch/x86/mm/highmem_32.c).
 *
 * pkmap: PKMAP_PAGES slots in one preallocated PTE page.  pkmap_count[i] is
 *   0: free, and no TLB may hold the slot;
 *   1: free, but the old mapping stays (a TLB may hold it);
 *   n: mapped with n - 1 users.
 * kunmap only drops the count: slots are unmapped lazily, all at once, when
 * the search for a free slot wraps around (flush_all_zero_pkmaps), so one
 * TLB flush pays for a whole pool's worth of kunmaps.  A page that is kmapped
 * again before that gets its old slot back with no flush.  struct page has
 * no room for the slot, so a small hash from frame to slot finds it.
 *
 * kmap_atomic: KM_TYPE_NR fixmap slots per CPU, taken in turn (a ring,
 * skipping those still mapped).  kunmap_atomic clears the PTE but leaves
 * the TLB entry; a slot unmapped that way is "dirty", and before a dirty
 * slot is used again every dirty slot of the CPU is flushed at once.  The
 * INVLPGs are the same in number, but come in batches: under TCG, an
 * INVLPG inside the region QEMU's 2 MiB TLB entries span (the whole
 * kernel half once the direct map reaches 512 MiB) empties the whole
 * kernel TLB, so a fault paid a full TLB refill per kmap_atomic; now it
 * pays one per KM_TYPE_NR kmap_atomics.  A stale entry is harmless: only
 * this CPU uses its slots, and nothing reads a slot it has unmapped.
 */
#include "mm/highmem.h"
#include "mm/fixmap.h"
#include "mm/paging.h"
#include "mm/mmdebug.h"
#include "arch/i386/tlb.h"
#include "kernel/spinlock.h"
#include "kernel/wait.h"
#include "kernel/compiler.h"
#include "kernel/string.h"
#include "kernel/printk.h"
#include "kernel/counters.h"
#include "mm/tlbflush.h"

#define LAST_PKMAP              PKMAP_PAGES
#define PKMAP_ADDR(nr)          (PKMAP_BASE + (unsigned long)(nr) * PAGE_SIZE)
#define PKMAP_NR(addr)          (((unsigned long)(addr) - PKMAP_BASE) >> PAGE_SHIFT)
#define PKMAP_HASH_BITS         7
#define NO_SLOT                 (-1)

static spinlock_t kmap_lock = SPINLOCK_INIT;    /* all pkmap state below */
static pte_t *pkmap_page_table;
static unsigned pkmap_count[LAST_PKMAP];
static struct page *pkmap_page[LAST_PKMAP];     /* while pkmap_count > 0 */
static int16_t pkmap_hash[1 << PKMAP_HASH_BITS];        /* first slot, or NO_SLOT */
static int16_t pkmap_next[LAST_PKMAP];                  /* next slot in the chain */
static unsigned last_pkmap_nr;
static struct wait_queue_head pkmap_wait;       /* kmaps waiting for a free slot */
static unsigned long pkmap_frees;               /* slots freed so far: what they wait on */

/* A CPU's kmap_atomic slots: bit s is slot s of its KM_TYPE_NR. */
struct kmap_atomic_slots {
	unsigned next;                  /* where the search for a free slot starts */
	uint32_t live;                  /* mapped */
	uint32_t dirty;                 /* unmapped, but a TLB may still hold them */
};
_Static_assert(KM_TYPE_NR <= 32, "a CPU's slots fit the masks");

static struct kmap_atomic_slots kmap_atomic_slots[NR_CPUS];
static pte_t *kmap_pte;                 /* the PTE of FIX_KMAP_BEGIN */

static struct kmap_stats stats;

_Static_assert(FIX_KMAP_END < PTRS_PER_PTE, "kmap_atomic slots share one PTE page");

static inline void count_event(unsigned long *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

static unsigned pkmap_hash_of(const struct page *page)
{
	return (page_to_pfn(page) * 2654435761u) >> (32 - PKMAP_HASH_BITS);
}

/* The pkmap slot holding page, or NO_SLOT.  Needs kmap_lock. */
static int pkmap_lookup(const struct page *page)
{
	for (int nr = pkmap_hash[pkmap_hash_of(page)]; nr != NO_SLOT; nr = pkmap_next[nr])
		if (pkmap_page[nr] == page)
			return nr;
	return NO_SLOT;
}

/* Drop slot nr from its hash chain.  Needs kmap_lock. */
static void pkmap_unhash(int nr)
{
	int16_t *link = &pkmap_hash[pkmap_hash_of(pkmap_page[nr])];

	while (*link != nr)
		link = &pkmap_next[*link];
	*link = pkmap_next[nr];
}

/*
 * Unmap every slot that is free but still mapped (count 1) and flush the
 * TLB once.  The pkmap PTEs are global, so a CR3 reload would not drop them.
 * Needs kmap_lock.  With SMP this flush must reach every CPU.
 */
static void flush_all_zero_pkmaps(void)
{
	bool need_flush = false;

	for (int nr = 0; nr < LAST_PKMAP; nr++) {
		if (pkmap_count[nr] != 1)
			continue;
		pkmap_count[nr] = 0;
		pte_clear(&pkmap_page_table[nr]);
		pkmap_unhash(nr);
		pkmap_page[nr] = NULL;
		need_flush = true;
	}
	if (need_flush) {
		/* pkmap entries are global and any CPU may have used them. */
		flush_tlb_kernel_range(PKMAP_BASE, PKMAP_BASE + LAST_PKMAP * PAGE_SIZE);
		count_event(&stats.pkmap_flushes);
	}
}

/*
 * Every slot is in use: sleep until a kunmap frees one (its count falls
 * to 1), as Linux's kmap does.  Called and returns with kmap_lock held;
 * pkmap_map_new retries afterwards.  So kmap may sleep: never call it
 * with a spinlock held or from an interrupt.
 */
static void pkmap_wait_for_slot(void)
{
	unsigned long seen = pkmap_frees;

	spin_unlock(&kmap_lock);
	wait_event(pkmap_wait, READ_ONCE(pkmap_frees) != seen);
	spin_lock(&kmap_lock);
}

/*
 * The next free slot after the last one handed out, flushing the stale
 * ones when the search wraps to slot 0; NO_SLOT after a full circle with
 * none.  Needs kmap_lock.
 */
static int pkmap_find_free(void)
{
	unsigned count = LAST_PKMAP;

	for (;;) {
		last_pkmap_nr = (last_pkmap_nr + 1) & (LAST_PKMAP - 1);
		if (last_pkmap_nr == 0) {
			flush_all_zero_pkmaps();
			count = LAST_PKMAP;
		}
		if (pkmap_count[last_pkmap_nr] == 0)
			return (int)last_pkmap_nr;
		if (--count == 0)
			return NO_SLOT;
	}
}

/* Map page in a free slot; returns the slot with count 1.  Needs kmap_lock. */
static int pkmap_map_new(struct page *page)
{
	int nr;

	while ((nr = pkmap_find_free()) == NO_SLOT) {
		pkmap_wait_for_slot();
		/* Someone may have mapped the page while we waited. */
		nr = pkmap_lookup(page);
		if (nr != NO_SLOT)
			return nr;
	}
	/* A count-0 slot is unmapped and flushed: no TLB flush needed to reuse it. */
	set_pte(&pkmap_page_table[nr], pfn_pte(page_to_pfn(page), PAGE_KERNEL));
	pkmap_count[nr] = 1;
	pkmap_page[nr] = page;
	unsigned bucket = pkmap_hash_of(page);
	pkmap_next[nr] = pkmap_hash[bucket];
	pkmap_hash[bucket] = (int16_t)nr;
	count_event(&stats.kmap_high);
	return nr;
}

void *kmap_high(struct page *page)
{
	VM_BUG_ON_MSG(!pkmap_page_table, "kmap before kmap_init");
	spin_lock(&kmap_lock);
	int nr = pkmap_lookup(page);
	if (nr == NO_SLOT)
		nr = pkmap_map_new(page);
	pkmap_count[nr]++;
	spin_unlock(&kmap_lock);
	return (void *)PKMAP_ADDR(nr);
}

void kunmap_high(struct page *page)
{
	spin_lock(&kmap_lock);
	int nr = pkmap_lookup(page);
	VM_BUG_ON_MSG(nr == NO_SLOT || pkmap_count[nr] < 2,
		      "kunmap of pfn 0x%x that is not kmapped", page_to_pfn(page));
	/* Falling to 1 frees the slot: wake whoever waits for one. */
	bool freed = --pkmap_count[nr] == 1;
	if (freed)
		pkmap_frees++;
	spin_unlock(&kmap_lock);
	if (freed)
		wake_up(&pkmap_wait);
}

void *kmap(struct page *page)
{
	count_event_cpu(CNT_KMAP);
	if (!page_is_highmem(page))
		return page_address(page);
	return kmap_high(page);
}

void kunmap(struct page *page)
{
	if (page_is_highmem(page))
		kunmap_high(page);
}

/* The fixmap index of slot s of cpu. */
static unsigned kmap_atomic_idx(unsigned cpu, unsigned s)
{
	return FIX_KMAP_BEGIN + cpu * KM_TYPE_NR + s;
}

/* Flush every dirty slot of cpu (the running CPU) from its TLB. */
static void flush_dirty_slots(unsigned cpu, struct kmap_atomic_slots *k)
{
	for (unsigned s = 0; s < KM_TYPE_NR; s++)
		if (k->dirty & (1u << s))
			flush_tlb_one(fix_to_virt(kmap_atomic_idx(cpu, s)));
	k->dirty = 0;
}

void *kmap_atomic_pfn(pfn_t pfn)
{
	VM_BUG_ON_MSG(!irqs_disabled(), "kmap_atomic with interrupts on");
	VM_BUG_ON_MSG(!kmap_pte, "kmap_atomic before kmap_init");
	unsigned cpu = smp_processor_id();
	struct kmap_atomic_slots *k = &kmap_atomic_slots[cpu];
	VM_BUG_ON_MSG(k->live == (1u << KM_TYPE_NR) - 1, "kmap_atomic nested deeper than %u",
		      KM_TYPE_NR);
	unsigned s = k->next;
	while (k->live & (1u << s))
		s = (s + 1) % KM_TYPE_NR;
	if (k->dirty & (1u << s))
		flush_dirty_slots(cpu, k);
	unsigned idx = kmap_atomic_idx(cpu, s);
	pte_t *pte = &kmap_pte[idx - FIX_KMAP_BEGIN];

	VM_BUG_ON_MSG(!pte_none(*pte), "kmap_atomic slot %u still mapped", idx);
	set_pte(pte, pfn_pte(pfn, PAGE_KERNEL));
	k->live |= 1u << s;
	k->next = (s + 1) % KM_TYPE_NR;
	count_event(&stats.kmap_atomic_high);
	return (void *)fix_to_virt(idx);
}

void *kmap_atomic(struct page *page)
{
	count_event_cpu(CNT_KMAP_ATOMIC);
	if (!page_is_highmem(page))
		return page_address(page);
	return kmap_atomic_pfn(page_to_pfn(page));
}

void kunmap_atomic(void *addr)
{
	unsigned long vaddr = (unsigned long)addr & PAGE_MASK;

	/* Direct-map addresses (lowmem pages) took no slot. */
	if (vaddr < fix_to_virt(FIX_KMAP_BEGIN) || vaddr > fix_to_virt(FIX_KMAP_END))
		return;
	VM_BUG_ON_MSG(!irqs_disabled(), "kunmap_atomic with interrupts on");
	unsigned cpu = smp_processor_id();
	struct kmap_atomic_slots *k = &kmap_atomic_slots[cpu];
	unsigned idx = virt_to_fix(vaddr), s = idx - kmap_atomic_idx(cpu, 0);
	VM_BUG_ON_MSG(s >= KM_TYPE_NR || !(k->live & (1u << s)),
		      "kunmap_atomic(%p): not a slot this CPU mapped", addr);
	pte_clear(&kmap_pte[idx - FIX_KMAP_BEGIN]);
	k->live &= ~(1u << s);
	k->dirty |= 1u << s;                    /* flushed before the slot is used again */
}

void clear_highpage(struct page *page)
{
	if (!page_is_highmem(page)) {
		clear_page(page_address(page));
		return;
	}
	uint32_t flags = local_irq_save();
	void *addr = kmap_atomic(page);
	clear_page(addr);
	kunmap_atomic(addr);
	local_irq_restore(flags);
}

void kmap_stats_read(struct kmap_stats *out)
{
	out->kmap = ukva_counter_total(CNT_KMAP);
	out->kmap_high = __atomic_load_n(&stats.kmap_high, __ATOMIC_RELAXED);
	out->kmap_atomic = ukva_counter_total(CNT_KMAP_ATOMIC);
	out->kmap_atomic_high = __atomic_load_n(&stats.kmap_atomic_high, __ATOMIC_RELAXED);
	out->pkmap_flushes = __atomic_load_n(&stats.pkmap_flushes, __ATOMIC_RELAXED);
}

void kmap_init(void)
{
	init_waitqueue_head(&pkmap_wait);
	pkmap_page_table = virt_to_kpte(PKMAP_BASE);
	kmap_pte = virt_to_kpte(fix_to_virt(FIX_KMAP_BEGIN));
	VM_BUG_ON_MSG(!pkmap_page_table || !kmap_pte, "kmap_init before paging_init");
	for (unsigned i = 0; i < ARRAY_SIZE(pkmap_hash); i++)
		pkmap_hash[i] = NO_SLOT;
	pr_info("kmap: %u pkmap slots at 0x%08x, %u kmap_atomic slots per CPU at 0x%08lx\n",
		LAST_PKMAP, PKMAP_BASE, KM_TYPE_NR, fix_to_virt(FIX_KMAP_BEGIN));
}
