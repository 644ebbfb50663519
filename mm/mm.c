/*
 * Address spaces: creation, teardown, and the copy-on-write duplicate
 * that fork makes.  See mm.h.
 */
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/highmem.h"
#include "mm/kmalloc.h"
#include "mm/memstat.h"
#include "mm/paging.h"
#include "mm/ukva/ukva.h"
#include "mm/tlbflush.h"
#include "kernel/string.h"

static struct vma *vma_node_alloc(void *ctx)
{
	return kmalloc(sizeof(struct vma), GFP_KERNEL);
}

static void vma_node_free(void *ctx, struct vma *vma)
{
	kfree(vma);
}

/* Area nodes come from kmalloc. */
static const struct vma_allocator vma_kmalloc_allocator = {
	.alloc = vma_node_alloc,
	.free = vma_node_free,
};

struct page *alloc_pgtable_page(gfp_t gfp)
{
	struct page *p = alloc_page(gfp | __GFP_ZERO);
	if (!p)
		return NULL;
	p->flags |= PG_pgtable;
	if (!page_is_highmem(p))
		lowmem_charge(LOWMEM_PGTABLE, PAGE_SIZE);
	return p;
}

void free_pgtable_page(struct page *p)
{
	if (!p)
		return;
	p->flags &= ~PG_pgtable;
	if (!page_is_highmem(p))
		lowmem_charge(LOWMEM_PGTABLE, -(long)PAGE_SIZE);
	free_page(p);
}

pgd_t *pgd_alloc(void)
{
	/* kmalloc(32) is 32-byte aligned and in lowmem: a valid PDPT (SDM 4.4.1). */
	pgd_t *pgd = kzalloc(PTRS_PER_PGD * sizeof(pgd_t), GFP_KERNEL);

	if (pgd)
		lowmem_charge_kmalloc(LOWMEM_PGTABLE, PTRS_PER_PGD * sizeof(pgd_t), 1);
	return pgd;
}

void pgd_free(pgd_t *pgd)
{
	if (!pgd)
		return;
	kfree(pgd);
	lowmem_charge_kmalloc(LOWMEM_PGTABLE, PTRS_PER_PGD * sizeof(pgd_t), -1);
}

uint32_t mm_pgd_phys(const struct mm *mm)
{
	return (uint32_t)virt_to_phys(mm->pgd);
}

struct mm *mm_create(void)
{
	struct mm *mm = kzalloc(sizeof(*mm), GFP_KERNEL);
	if (!mm)
		return NULL;
	mm->pgd = pgd_alloc();
	if (!mm->pgd)
		goto fail;
	for (int i = 0; i < USER_PGD_ENTRIES; i++) {
		mm->pmd_pages[i] = alloc_pgtable_page(GFP_HIGHUSER);
		if (!mm->pmd_pages[i])
			goto fail;
		set_pgd(&mm->pgd[i], pfn_pgd(page_to_pfn(mm->pmd_pages[i])));
	}
	if (ukva_mm_init(mm))
		goto fail;
	vma_list_init(&mm->vmas, &vma_kmalloc_allocator);
	spin_lock_init(&mm->lock);
	mm->users = 1;
	return mm;
fail:
	for (int i = 0; i < USER_PGD_ENTRIES; i++)
		free_pgtable_page(mm->pmd_pages[i]);
	pgd_free(mm->pgd);
	kfree(mm);
	return NULL;
}

void mm_get(struct mm *mm)
{
	__atomic_add_fetch(&mm->users, 1, __ATOMIC_RELAXED);
}

void mm_account_pte_page(struct mm *mm, const struct page *pt, int delta)
{
	mm->nr_pte_pages += delta;
	if (!page_is_highmem(pt))
		mm->nr_pte_pages_lowmem += delta;
}

bool pte_map(struct mm *mm, uintptr_t addr, bool alloc, struct pte_cursor *c)
{
	if (alloc)                      /* every PTE page is made here: see for_each_pte_page */
		mm->pte_groups |= 1ull << (addr >> PTE_GROUP_SHIFT);
	c->irqflags = local_irq_save();
	if (ukva_ops()->pte_map(mm, addr, alloc, c))
		return true;
	local_irq_restore(c->irqflags);
	return false;
}

bool pte_map_kmap(struct mm *mm, uintptr_t addr, bool alloc, struct pte_cursor *c)
{
	pmd_t *pmds = kmap_atomic(mm->pmd_pages[pgd_index(addr)]);
	pmd_t *pmd = &pmds[pmd_index(addr)];

	if (pmd_none(*pmd)) {
		struct page *pt = alloc ? alloc_pgtable_page(GFP_HIGHUSER) : NULL;
		if (!pt) {
			kunmap_atomic(pmds);
			return false;
		}
		set_pmd(pmd, pfn_pmd(page_to_pfn(pt), __pgprot(_PAGE_TABLE)));
		mm_account_pte_page(mm, pt, 1);
	}
	pfn_t pt_pfn = pmd_pfn(*pmd);
	kunmap_atomic(pmds);
	pte_t *ptes = kmap_atomic(pfn_to_page(pt_pfn));
	c->pte = &ptes[pte_index(addr)];
	c->kmapped = true;
	return true;
}

void pte_unmap(struct pte_cursor *c)
{
	if (c->kmapped)
		kunmap_atomic((void *)((uintptr_t)c->pte & PAGE_MASK));
	local_irq_restore(c->irqflags);
}

pte_t ptep_clear_flush(struct mm *mm, uintptr_t addr, struct pte_cursor *c)
{
	pte_t old = ptep_get_and_clear(c->pte);

	pte_unmap(c);
	flush_tlb_mm_range(mm, addr & PAGE_MASK, (addr & PAGE_MASK) + PAGE_SIZE);
	return old;
}

pte_t mm_lookup_pte(struct mm *mm, uintptr_t addr)
{
	struct pte_cursor c;
	pte_t pte = __pte(0);

	spin_lock(&mm->lock);
	if (pte_map(mm, addr, false, &c)) {
		pte = *c.pte;
		pte_unmap(&c);
	}
	spin_unlock(&mm->lock);
	return pte;
}

/* Drop every frame a PTE page maps, then the PTE page itself.  Interrupts off. */
static void free_pte_page(struct mm *mm, pfn_t pt_pfn)
{
	pte_t *ptes = kmap_atomic(pfn_to_page(pt_pfn));

	for (int k = 0; k < PTRS_PER_PTE; k++) {
		if (!pte_has_frame(ptes[k]))
			continue;
		put_page(pfn_to_page(pte_pfn(ptes[k])));
		mm->nr_user_pages--;
	}
	kunmap_atomic(ptes);
	mm_account_pte_page(mm, pfn_to_page(pt_pfn), -1);
	free_pgtable_page(pfn_to_page(pt_pfn));
}

/*
 * Call fn(mm, other, pte page pfn, base address) for every PTE page under
 * user PMD i of mm, with that PMD page mapped once for the whole walk.
 * Interrupts are off throughout (kmap_atomic).
 */
static bool for_each_pte_page(struct mm *mm, int i, void *other,
			      bool (*fn)(struct mm *, void *, pfn_t, uintptr_t))
{
	uint32_t flags = local_irq_save();
	pmd_t *pmds = kmap_atomic(mm->pmd_pages[i]);
	bool ok = true;

	for (int j = 0; ok && j < PTRS_PER_PMD; j++) {
		unsigned group = (i * PTRS_PER_PMD + j) / PTE_GROUP_PMDS;
		if (!(mm->pte_groups & (1ull << group))) {
			j += PTE_GROUP_PMDS - 1;        /* pte_map never filled this group */
			continue;
		}
		if (pmd_present(pmds[j]))
			ok = fn(mm, other, pmd_pfn(pmds[j]),
				((uintptr_t)i << PGDIR_SHIFT) | ((uintptr_t)j << PMD_SHIFT));
	}
	kunmap_atomic(pmds);
	local_irq_restore(flags);
	return ok;
}

static bool free_pte_page_fn(struct mm *mm, void *unused, pfn_t pt_pfn, uintptr_t base)
{
	free_pte_page(mm, pt_pfn);
	return true;
}

void mm_put(struct mm *mm)
{
	if (__atomic_sub_fetch(&mm->users, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	vma_list_clear(&mm->vmas, NULL, NULL);  /* the page walk below frees the pages */
	for (int i = 0; i < USER_PGD_ENTRIES; i++) {
		for_each_pte_page(mm, i, NULL, free_pte_page_fn);
		free_pgtable_page(mm->pmd_pages[i]);
	}
	ukva_mm_destroy(mm);
	pgd_free(mm->pgd);
	kfree(mm);
}

/*
 * Copy one PTE page of old (at src_pfn, covering base) into new, sharing
 * every frame: writable ones become read-only in both, to be copied on the
 * first write.  Interrupts off.  Returns false when memory is short.
 */
static bool dup_pte_page(struct mm *old, void *new_mm, pfn_t src_pfn, uintptr_t base)
{
	struct mm *new = new_mm;
	struct pte_cursor dst;

	if (!pte_map(new, base, true, &dst))
		return false;
	pte_t *src = kmap_atomic(pfn_to_page(src_pfn));
	pte_t *dst_ptes = dst.pte;          /* base is PMD aligned: index 0 */

	for (int k = 0; k < PTRS_PER_PTE; k++) {
		pte_t e = src[k];
		if (!pte_has_frame(e))
			continue;
		if (pte_write(e) && !(pte_val(e) & _PAGE_SHARED_ANON)) {
			ptep_set_wrprotect(&src[k]);    /* stays present: other threads run on it */
			e = pte_wrprotect(e);
		}
		get_page(pfn_to_page(pte_pfn(e)));
		set_pte(&dst_ptes[k], e);
		new->nr_user_pages++;
	}
	kunmap_atomic(src);
	pte_unmap(&dst);
	return true;
}

struct mm *mm_dup(struct mm *old)
{
	struct mm *new = mm_create();
	bool ok = new != NULL;

	spin_lock(&old->lock);
	if (ok)
		ok = mm_fill_shared(old) == 0;
	if (ok) {
		vma_list_clear(&new->vmas, NULL, NULL);
		ok = vma_list_dup(&new->vmas, &old->vmas) == 0;
		new->start_brk = old->start_brk;
		new->brk = old->brk;
	}
	for (int i = 0; ok && i < USER_PGD_ENTRIES; i++)
		ok = for_each_pte_page(old, i, new, dup_pte_page);
	/*
	 * Parent PTEs lost their write bit: no stale writable TLB entry may
	 * stay, anywhere, before mm->lock lets a copy-on-write fault in.
	 * break_cow copies the frame and only then flushes; a thread still
	 * writing through a stale entry meanwhile (a sibling on another CPU,
	 * or on this one if the fork is preempted here: threads of one mm
	 * share a CR3) would write into the frame the child keeps, and the
	 * parent would lose the write.
	 */
	flush_tlb_mm(old);
	spin_unlock(&old->lock);
	if (!ok && new) {
		mm_put(new);
		return NULL;
	}
	return new;
}
