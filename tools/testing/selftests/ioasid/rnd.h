/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seeded generator of the test programs (xorshift64): a run is
 * repeated by giving the same seed. Set rng to a nonzero seed first.
 */
#ifndef IOASIDCTL_TESTS_RND_H
#define IOASIDCTL_TESTS_RND_H

#include <stdint.h>

static uint64_t rng;

static inline uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

#endif
