/* Host tests of the kmalloc size-class and order arithmetic (mm/kmalloc.h). */
/* host-cflags: -m32 */
#include <stdint.h>
#include "check.h"
#include "../../mm/kmalloc.h"

static void classes_are_powers_of_two_16_to_2048(void)
{
	CHECK_EQ(KMALLOC_NR_CLASSES, 8);
	CHECK_EQ(kmalloc_class_size(0), 16);
	CHECK_EQ(kmalloc_class_size(KMALLOC_NR_CLASSES - 1), KMALLOC_MAX_SIZE);
	for (unsigned i = 0; i + 1 < KMALLOC_NR_CLASSES; i++)
		CHECK_EQ(kmalloc_class_size(i + 1), 2 * kmalloc_class_size(i));
}

/* Every size lands in the smallest class that holds it. */
static void index_is_the_smallest_class_that_fits(void)
{
	for (size_t size = 1; size <= KMALLOC_MAX_SIZE; size++) {
		unsigned idx = kmalloc_index(size);
		CHECK(idx < KMALLOC_NR_CLASSES);
		CHECK(kmalloc_class_size(idx) >= size);
		if (idx > 0)
			CHECK(kmalloc_class_size(idx - 1) < size);
	}
	CHECK_EQ(kmalloc_index(1), 0);
	CHECK_EQ(kmalloc_index(16), 0);
	CHECK_EQ(kmalloc_index(17), 1);
	CHECK_EQ(kmalloc_index(2048), 7);
}

static void order_is_the_smallest_block_that_fits(void)
{
	CHECK_EQ(get_order(1), 0);
	CHECK_EQ(get_order(PAGE_SIZE), 0);
	CHECK_EQ(get_order(PAGE_SIZE + 1), 1);
	CHECK_EQ(get_order(2 * PAGE_SIZE), 1);
	CHECK_EQ(get_order(3 * PAGE_SIZE), 2);
	CHECK_EQ(get_order((size_t)PAGE_SIZE << 10), 10);
	CHECK_EQ(get_order(((size_t)PAGE_SIZE << 10) + 1), 11);
}

TEST_MAIN(
	TEST(classes_are_powers_of_two_16_to_2048),
	TEST(index_is_the_smallest_class_that_fits),
	TEST(order_is_the_smallest_block_that_fits))
