// SPDX-License-Identifier: GPL-2.0
/*
 * The task `make clients` checkpoints with CRIU. It maps:
 *   anon: 256 pages; of every four, two written, one only read (the zero
 *         page) and one never touched;
 *   shmem: 64 shared anonymous pages, three in four written;
 *   thp:  one PMD-aligned 2 MiB range with MADV_HUGEPAGE, written whole.
 * It becomes a session leader, prints "ready", then waits for signals:
 *   SIGUSR1  rewrites 16 of the written anon pages with the next
 *            generation, then prints "gen N" (an incremental dump holds
 *            only these);
 *   SIGUSR2  checks every byte of all three ranges and prints "verify ok
 *            gen N" or what differs, and how much of the 2 MiB range is a
 *            huge page (a restored task's is where CRIU's restore happened
 *            to fault it in aligned).
 * Output goes to stdout; CRIU restores the task with it.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE		4096UL
#define ANON_PAGES	256
#define SHMEM_PAGES	64
#define HUGE		(2UL << 20)
#define CHANGED		16

static volatile sig_atomic_t got_usr1, got_usr2;
static uint8_t *anon, *shmem, *thp;
static unsigned int gen;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_usr2 = 1;
}

/* The generation of anon page i: the first CHANGED written pages follow gen */
static unsigned int anon_gen(unsigned long i)
{
	return i % 4 < 2 && i / 4 * 2 + i % 4 < CHANGED ? gen : 0;
}

static uint64_t word(int range, unsigned long page, unsigned int g,
		     unsigned long w)
{
	return (0x9e3779b97f4a7c15ULL * (range * 100003 + page + 1)) ^
	       ((uint64_t)g << 56) ^ w;
}

static void fill(uint8_t *p, int range, unsigned long page, unsigned int g)
{
	uint64_t *q = (uint64_t *)(p + page * PAGE);
	unsigned long w;

	for (w = 0; w < PAGE / 8; w++)
		q[w] = word(range, page, g, w);
}

/* Returns the first page of the range that does not hold what it should */
static long check(uint8_t *p, int range, unsigned long pages, int written)
{
	unsigned long i, w;

	for (i = 0; i < pages; i++) {
		uint64_t *q = (uint64_t *)(p + i * PAGE);
		int is_written = (int)(i % 4) < written;
		unsigned int g = range == 0 ? anon_gen(i) : 0;

		for (w = 0; w < PAGE / 8; w++)
			if (q[w] != (is_written ? word(range, i, g, w) : 0))
				return i;
	}
	return -1;
}

/* kB of AnonHugePages in the VMA that starts at addr, or -1 */
static long huge_kb(void *addr)
{
	char line[256], start[32];
	long kb = -1;
	int in = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return -1;
	snprintf(start, sizeof(start), "%lx-", (unsigned long)addr);
	while (fgets(line, sizeof(line), f)) {
		if (strchr(line, '-') && strchr(line, '-') < strchr(line, ' '))
			in = !strncmp(line, start, strlen(start));
		else if (in && sscanf(line, "AnonHugePages: %ld", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

static void verify(void)
{
	long a = check(anon, 0, ANON_PAGES, 2);
	long s = check(shmem, 1, SHMEM_PAGES, 3);
	long h = check(thp, 2, HUGE / PAGE, 4);
	long kb = huge_kb(thp);

	if (a < 0 && s < 0 && h < 0)
		printf("verify ok gen %u, THP %ld kB\n", gen, kb);
	else
		printf("verify FAIL gen %u: anon page %ld, shmem page %ld, thp page %ld, THP %ld kB\n",
		       gen, a, s, h, kb);
	fflush(stdout);
}

int main(void)
{
	volatile uint8_t sink = 0;
	sigset_t block, old;
	unsigned long i;
	uint8_t *p;

	setsid();
	anon = mmap(NULL, ANON_PAGES * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	shmem = mmap(NULL, SHMEM_PAGES * PAGE, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	p = mmap(NULL, 2 * HUGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (anon == MAP_FAILED || shmem == MAP_FAILED || p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	thp = (uint8_t *)(((unsigned long)p + HUGE - 1) & ~(HUGE - 1));
	munmap(p, thp - p);
	munmap(thp + HUGE, p + HUGE - thp);
	madvise(anon, ANON_PAGES * PAGE, MADV_NOHUGEPAGE);
	if (madvise(thp, HUGE, MADV_HUGEPAGE))
		perror("madvise(MADV_HUGEPAGE)");

	for (i = 0; i < ANON_PAGES; i++) {
		if (i % 4 < 2)
			fill(anon, 0, i, 0);
		else if (i % 4 == 2)
			sink += anon[i * PAGE];
	}
	for (i = 0; i < SHMEM_PAGES; i++)
		if (i % 4 < 3)
			fill(shmem, 1, i, 0);
	for (i = 0; i < HUGE / PAGE; i++)
		fill(thp, 2, i, 0);

	signal(SIGUSR1, on_signal);
	signal(SIGUSR2, on_signal);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, &old);
	printf("ready pid %d, THP %ld kB\n", getpid(), huge_kb(thp));
	fflush(stdout);
	for (;;) {
		while (!got_usr1 && !got_usr2)
			sigsuspend(&old);
		if (got_usr1) {
			got_usr1 = 0;
			gen++;
			for (i = 0; i < ANON_PAGES; i++)
				if (anon_gen(i))
					fill(anon, 0, i, gen);
			printf("gen %u\n", gen);
			fflush(stdout);
		}
		if (got_usr2) {
			got_usr2 = 0;
			verify();
		}
	}
}
