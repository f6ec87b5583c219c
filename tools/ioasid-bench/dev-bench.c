// SPDX-License-Identifier: GPL-2.0
/*
 * dev-bench: /dev/ioasid alloc+free ioctl pairs per second, against the
 * floor of two trivial system calls, with one thread and with two threads
 * that each have their own open file (so their own set), in turn, five
 * rounds. Prints one JSON object: medians, and the spread (min, max).
 * Usage: dev-bench [SECONDS per measurement, default 2]
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../ioasidctl/ioasid_dev.h"

static double seconds = 2.0;
static atomic_bool go, stop;

struct worker {
	pthread_t thread;
	int fd;			/* -1: the syscall floor */
	unsigned long long ops;
	int err;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	unsigned int id;
	int ret;

	while (!atomic_load(&go))
		;
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		if (w->fd < 0) {
			syscall(SYS_getppid);
			syscall(SYS_getppid);
		} else {
			ret = ioasid_dev_alloc(w->fd, 1, (1U << 20) - 1, NULL, &id);
			if (!ret)
				ret = ioasid_dev_free(w->fd, id);
			if (ret) {
				w->err = ret;
				break;
			}
		}
		w->ops++;
	}
	return NULL;
}

/* Run n workers (syscall floor if !dev) for the set time; ops per second */
static double measure(int n, const char *dev)
{
	struct worker w[2] = { { .fd = -1 }, { .fd = -1 } };
	unsigned long long ops = 0;
	double t0, t;
	int i;

	atomic_store(&go, false);
	atomic_store(&stop, false);
	for (i = 0; i < n; i++) {
		if (dev) {
			w[i].fd = ioasid_dev_open(dev);
			if (w[i].fd < 0) {
				fprintf(stderr, "dev-bench: %s: %s\n", dev, strerror(-w[i].fd));
				exit(1);
			}
		}
		if (pthread_create(&w[i].thread, NULL, work, &w[i])) {
			fprintf(stderr, "dev-bench: pthread_create failed\n");
			exit(1);
		}
	}
	t0 = now();
	atomic_store(&go, true);
	while (now() - t0 < seconds)
		usleep(10000);
	atomic_store(&stop, true);
	t = now() - t0;
	for (i = 0; i < n; i++) {
		pthread_join(w[i].thread, NULL);
		if (w[i].err) {
			fprintf(stderr, "dev-bench: %s: %s\n", dev, strerror(-w[i].err));
			exit(1);
		}
		if (w[i].fd >= 0)
			close(w[i].fd);
		ops += w[i].ops;
	}
	return ops / t;
}

#define ROUNDS 5

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median, min and max of ROUNDS values, sorted in place */
static void stats(double *v, double *med, double *min, double *max)
{
	qsort(v, ROUNDS, sizeof(*v), cmp_double);
	*med = v[ROUNDS / 2];
	*min = v[0];
	*max = v[ROUNDS - 1];
}

int main(int argc, char **argv)
{
	const char *dev = getenv("IOASIDCTL_DEV") ? getenv("IOASIDCTL_DEV") : IOASID_DEV_PATH;
	double floor_ns[ROUNDS], pair_ns[ROUNDS], ratio[ROUNDS], scaling[ROUNDS];
	double f1, p1, p2, med, min, max;
	int r;

	if (argc > 1)
		seconds = atof(argv[1]);
	if (seconds <= 0) {
		fprintf(stderr, "usage: dev-bench [SECONDS]\n");
		return 2;
	}
	/* The three in turn, ROUNDS times: drift weighs on each alike */
	for (r = 0; r < ROUNDS; r++) {
		f1 = measure(1, NULL);
		p1 = measure(1, dev);
		p2 = measure(2, dev);
		floor_ns[r] = 1e9 / f1;
		pair_ns[r] = 1e9 / p1;
		ratio[r] = f1 / p1;
		scaling[r] = p2 / p1;
	}
	printf("{\"row\":\"dev\",\"rounds\":%d", ROUNDS);
	stats(floor_ns, &med, &min, &max);
	printf(",\"floor_ns\":%.1f,\"floor_min\":%.1f,\"floor_max\":%.1f", med, min, max);
	stats(pair_ns, &med, &min, &max);
	printf(",\"pair_ns\":%.1f,\"pair_min\":%.1f,\"pair_max\":%.1f", med, min, max);
	stats(ratio, &med, &min, &max);
	printf(",\"ratio\":%.2f,\"ratio_min\":%.2f,\"ratio_max\":%.2f", med, min, max);
	stats(scaling, &med, &min, &max);
	printf(",\"scaling_2_over_1\":%.2f,\"scaling_min\":%.2f,\"scaling_max\":%.2f}\n",
	       med, min, max);
	return 0;
}
