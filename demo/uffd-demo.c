// SPDX-License-Identifier: GPL-2.0
/*
 * A short tour of what the running kernel's userfaultfd offers: the API
 * features it advertises, a userfaultfd from /dev/userfaultfd for user-mode
 * faults only, then one fault of each kind: missing (UFFDIO_COPY) and
 * write-protect (UFFDIO_WRITEPROTECT, pagemap bit 57) on anonymous memory,
 * write-protect on shmem and hugetlbfs pages never touched (PTE markers),
 * minor (UFFDIO_CONTINUE) on shmem and hugetlbfs, mremap of a hugetlb
 * mapping, and a write watch over untouched memory with asynchronous
 * write-protection (WP_ASYNC, WP_UNPOPULATED), read and reset with the
 * PAGEMAP_SCAN ioctl, also over 1 GiB, with the page tables that arming it
 * takes (none with PUD markers). Each part runs where its
 * feature is advertised. Exits non-zero if an advertised feature
 * misbehaves.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef MFD_HUGETLB
#define MFD_HUGETLB	0x0004U
#endif
#define PM_UFFD_WP	(1ULL << 57)
#define PM_PRESENT	(1ULL << 63)

static const char *const feature_names[64] = {
	"PAGEFAULT_FLAG_WP", "EVENT_FORK", "EVENT_REMAP", "EVENT_REMOVE",
	"MISSING_HUGETLBFS", "MISSING_SHMEM", "EVENT_UNMAP", "SIGBUS",
	"THREAD_ID", "MINOR_HUGETLBFS", "MINOR_SHMEM", "EXACT_ADDRESS",
	"WP_HUGETLBFS_SHMEM", "WP_UNPOPULATED", "POISON", "WP_ASYNC",
	"MOVE",
};

static long page;
static int uffd;
static size_t psize;		/* the page size of the area faulting now */
static int failed;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Resolve one fault: fill a missing page, or lift write-protection. */
static void *handler(void *arg)
{
	struct pollfd pfd = { .fd = uffd, .events = POLLIN };
	char *src = arg;
	struct uffd_msg msg;

	if (poll(&pfd, 1, 10000) != 1) {
		printf("  handler: no fault within 10 s: the access was not caught\n");
		exit(1);
	}
	if (read(uffd, &msg, sizeof(msg)) != sizeof(msg))
		die("read");
	if (msg.event != UFFD_EVENT_PAGEFAULT)
		die("unexpected event");
	uint64_t addr = msg.arg.pagefault.address & ~(psize - 1);

	if (msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP) {
		struct uffdio_writeprotect wp = {
			.range = { .start = addr, .len = psize }, .mode = 0,
		};
		printf("  handler: write-protect fault at %#llx, unprotecting\n",
		       (unsigned long long)msg.arg.pagefault.address);
		if (ioctl(uffd, UFFDIO_WRITEPROTECT, &wp))
			die("UFFDIO_WRITEPROTECT");
	} else if (msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_MINOR) {
		struct uffdio_continue cont = {
			.range = { .start = addr, .len = psize },
		};
		printf("  handler: minor fault at %#llx, the page is cached: UFFDIO_CONTINUE\n",
		       (unsigned long long)msg.arg.pagefault.address);
		if (ioctl(uffd, UFFDIO_CONTINUE, &cont))
			die("UFFDIO_CONTINUE");
	} else {
		struct uffdio_copy copy = {
			.dst = addr, .src = (uintptr_t)src, .len = page,
		};
		printf("  handler: missing fault at %#llx, copying a page in\n",
		       (unsigned long long)msg.arg.pagefault.address);
		if (ioctl(uffd, UFFDIO_COPY, &copy))
			die("UFFDIO_COPY");
	}
	return NULL;
}

static void fault_once(char *src, void (*touch)(char *), char *area)
{
	pthread_t t;

	if (pthread_create(&t, NULL, handler, src))
		die("pthread_create");
	touch(area);
	pthread_join(t, NULL);
}

/* Touch the page outside printf: the handler prints while the fault waits. */
static void read_first(char *p)
{
	char buf[6] = "";

	memcpy(buf, p, 5);
	printf("  main: read %s\n", buf);
}

static void write_first(char *p)
{
	memcpy(p, "WORLD", 5);
	printf("  main: wrote %.5s\n", p);
}

/* pagemap's view of @p: present, and uffd-wp (bit 57) */
static uint64_t pagemap_of(void *p)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0 || pread(fd, &e, 8, (uintptr_t)p / page * 8) != 8)
		die("pagemap");
	close(fd);
	return e;
}

static void show_pagemap(const char *when, void *p)
{
	uint64_t e = pagemap_of(p);

	printf("  pagemap %s: %s, %s\n", when,
	       e & PM_PRESENT ? "present" : "not present",
	       e & PM_UFFD_WP ? "uffd-wp (bit 57)" : "not protected");
}

static void protect(void *p, size_t len, bool on)
{
	struct uffdio_writeprotect wp = {
		.range = { .start = (uintptr_t)p, .len = len },
		.mode = on ? UFFDIO_WRITEPROTECT_MODE_WP : 0,
	};

	if (ioctl(uffd, UFFDIO_WRITEPROTECT, &wp))
		die("UFFDIO_WRITEPROTECT");
}

static int do_register(void *p, size_t len, uint64_t mode)
{
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)p, .len = len }, .mode = mode,
	};

	return ioctl(uffd, UFFDIO_REGISTER, &reg) ? -errno : 0;
}

/* A memfd of @size bytes (hugetlbfs if @huge), mapped shared; NULL if none. */
static char *memfd_area(size_t size, bool huge, int *fdp)
{
	int fd = memfd_create("demo", MFD_CLOEXEC | (huge ? MFD_HUGETLB : 0));
	char *p;

	if (fd < 0 || ftruncate(fd, size)) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return NULL;
	}
	*fdp = fd;
	return p;
}

/* A write to a protected page never touched: the marker reports it. */
static void wp_untouched(const char *what, bool huge)
{
	int fd;
	char *p;

	psize = huge ? 2UL << 20 : page;
	p = memfd_area(psize, huge, &fd);
	if (!p) {
		printf("write-protect of an untouched %s page: no %s (skipped)\n",
		       what, huge ? "free 2M huge page" : "memfd");
		return;
	}
	printf("write-protect of an untouched %s page (a PTE marker):\n", what);
	if (do_register(p, psize, UFFDIO_REGISTER_MODE_WP))
		die("UFFDIO_REGISTER");
	protect(p, psize, true);
	show_pagemap("after protecting", p);
	fault_once(NULL, write_first, p);
	show_pagemap("after the write", p);
	munmap(p, psize);
	close(fd);
}

/* A read of a page that is in the page cache but not mapped here. */
static void minor(const char *what, bool huge)
{
	int fd;
	char *p, *q;

	psize = huge ? 2UL << 20 : page;
	p = memfd_area(psize, huge, &fd);
	if (!p) {
		printf("minor fault on %s: no %s (skipped)\n", what,
		       huge ? "free 2M huge page" : "memfd");
		return;
	}
	memcpy(p, "cached", 7);
	q = mmap(NULL, psize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (q == MAP_FAILED)
		die("mmap");
	printf("minor fault on %s (the page is cached, a second mapping reads it):\n",
	       what);
	if (do_register(q, psize, UFFDIO_REGISTER_MODE_MINOR))
		die("UFFDIO_REGISTER");
	fault_once(NULL, read_first, q);
	munmap(q, psize);
	munmap(p, psize);
	close(fd);
}

/* mremap of a hugetlb mapping, which 5.10 refused. */
static void huge_mremap(void)
{
	size_t len = 2UL << 20;
	char *p, *dst;
	int fd;

	p = memfd_area(len, true, &fd);
	if (!p) {
		printf("mremap of hugetlb: no free 2M huge page (skipped)\n");
		return;
	}
	dst = mmap(NULL, 2 * len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (dst == MAP_FAILED)
		die("mmap");
	dst = (char *)(((uintptr_t)dst + len - 1) & ~(len - 1));
	memcpy(p, "moved", 6);
	p = mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	if (p == MAP_FAILED || strcmp(p, "moved")) {
		printf("mremap of a hugetlb mapping: %s\n",
		       p == MAP_FAILED ? strerror(errno) : "data lost");
		failed = 1;
	} else {
		printf("mremap of a hugetlb mapping: moved, reads \"%s\"\n", p);
		munmap(p, len);
	}
	close(fd);
}

/* A userfaultfd from /dev/userfaultfd, for faults in user mode only. */
static void dev_userfaultfd(void)
{
	int dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
	int fd = dev < 0 ? -1 : ioctl(dev, USERFAULTFD_IOC_NEW,
				      O_CLOEXEC | UFFD_USER_MODE_ONLY);

	printf("/dev/userfaultfd, USERFAULTFD_IOC_NEW with UFFD_USER_MODE_ONLY: %s\n",
	       fd >= 0 ? "a userfaultfd" : strerror(errno));
	if (fd < 0)
		failed = 1;
	else
		close(fd);
	if (dev >= 0)
		close(dev);
}

/* The pages of [@p, @p + @n pages) that lost protection: written ones */
static void show_written(const char *when, char *p, int n, unsigned int want)
{
	unsigned int got = 0;

	for (int i = 0; i < n; i++)
		if (!(pagemap_of(p + i * page) & PM_UFFD_WP))
			got |= 1U << i;
	printf("  %s, written pages:", when);
	for (int i = 0; i < n; i++)
		if (got & (1U << i))
			printf(" %d", i);
	printf("%s\n", got ? "" : " none");
	if (got != want) {
		printf("  wrong: want %#x, got %#x\n", want, got);
		failed = 1;
	}
}

/*
 * The written pages of [@p, @p + @n pages), found and protected again by
 * one PAGEMAP_SCAN with PM_SCAN_WP_MATCHING, as ranges of pages.
 */
static void scan_written(const char *when, char *p, int n, const char *want)
{
	struct page_region r[8];
	struct pm_scan_arg arg = {
		.size = sizeof(arg), .flags = PM_SCAN_WP_MATCHING,
		.start = (uintptr_t)p, .end = (uintptr_t)(p + n * page),
		.vec = (uintptr_t)r, .vec_len = 8,
		.category_mask = PAGE_IS_WRITTEN,
		.return_mask = PAGE_IS_WRITTEN,
	};
	int fd = open("/proc/self/pagemap", O_RDONLY);
	long nr = fd < 0 ? -1 : ioctl(fd, PAGEMAP_SCAN, &arg);
	char got[64] = "";
	size_t len = 0;

	if (nr < 0 && errno == ENOTTY) {
		printf("  PAGEMAP_SCAN: not in this kernel\n");
		close(fd);
		return;
	}
	if (nr < 0)
		die("PAGEMAP_SCAN");
	for (long i = 0; i < nr && len < sizeof(got) - 16; i++) {
		long first = (r[i].start - (uintptr_t)p) / page;
		long last = (r[i].end - (uintptr_t)p) / page - 1;

		len += snprintf(got + len, sizeof(got) - len, " %ld", first);
		if (last > first)
			len += snprintf(got + len, sizeof(got) - len, "-%ld",
					last);
	}
	printf("  %s, PAGEMAP_SCAN finds and resets:%s\n", when,
	       nr ? got : " none");
	if (strcmp(nr ? got : " none", want)) {
		printf("  wrong: want%s\n", want);
		failed = 1;
	}
	close(fd);
}

/*
 * A write watch: 8 untouched pages protected in an async context. The
 * kernel resolves the writes, no handler runs, and pagemap tells which
 * pages were written; protecting again resets that. PAGEMAP_SCAN does
 * both in one call, and reports ranges.
 */
/*
 * @len bytes of untouched anonymous memory, registered for write-protection
 * with a WP_ASYNC userfaultfd, in *@fdp; not protected yet.
 */
static char *watch_area(size_t len, int *fdp)
{
	struct uffdio_api api = { .api = UFFD_API,
				  .features = UFFD_FEATURE_WP_ASYNC };
	int fd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	/* Aligned to @len, a power of two: twice as much mapped, then trimmed */
	char *m = mmap(NULL, 2 * len, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		       MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	char *p = (char *)(((uintptr_t)m + len - 1) & ~(uintptr_t)(len - 1));
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)p, .len = len },
		.mode = UFFDIO_REGISTER_MODE_WP,
	};

	if (fd < 0 || m == MAP_FAILED)
		die("write watch setup");
	if (p > m)
		munmap(m, p - m);
	munmap(p + len, m + len - p);
	if (ioctl(fd, UFFDIO_API, &api) || ioctl(fd, UFFDIO_REGISTER, &reg))
		die("write watch setup");
	*fdp = fd;
	return p;
}

static void write_watch(void)
{
	int fd;
	char *p = watch_area(8 * page, &fd);
	struct uffdio_writeprotect prot = {
		.range = { .start = (uintptr_t)p, .len = 8 * page },
		.mode = UFFDIO_WRITEPROTECT_MODE_WP,
	};

	if (ioctl(fd, UFFDIO_WRITEPROTECT, &prot))
		die("UFFDIO_WRITEPROTECT");
	printf("write watch (WP_ASYNC) over 8 untouched anonymous pages:\n");
	show_written("protected", p, 8, 0);
	p[2 * page] = 1;
	p[5 * page] = 1;
	show_written("pages 2 and 5 written, no handler", p, 8, 0x24);
	if (ioctl(fd, UFFDIO_WRITEPROTECT, &prot))
		die("UFFDIO_WRITEPROTECT");
	p[7 * page] = 1;
	show_written("reset, then page 7 written", p, 8, 0x80);
	p[3 * page] = 1;
	p[4 * page] = 1;
	scan_written("pages 3 and 4 written too", p, 8, " 3-4 7");
	scan_written("then again", p, 8, " none");
	close(fd);
	munmap(p, 8 * page);
}

static long vmpte_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPTE: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * The same over 1 GiB of untouched memory, 1 GiB aligned: arming it puts
 * one marker in its PUD rather than a table of PTE markers per 2 MiB (PUD
 * markers; a marker in each empty PMD where the kernel has PMD markers
 * only), and the first write allocates a PMD table and a page table.
 */
static void big_watch(void)
{
	const size_t len = 1UL << 30;
	int fd;
	char *p = watch_area(len, &fd);
	struct uffdio_writeprotect prot = {
		.range = { .start = (uintptr_t)p, .len = len },
		.mode = UFFDIO_WRITEPROTECT_MODE_WP,
	};
	long pt0, pt1, pt2;
	double t0, t1;

	printf("write watch over 1 GiB of untouched anonymous memory:\n");
	pt0 = vmpte_kb();
	t0 = now_ms();
	if (ioctl(fd, UFFDIO_WRITEPROTECT, &prot))
		die("UFFDIO_WRITEPROTECT");
	t1 = now_ms();
	pt1 = vmpte_kb();
	printf("  armed in %.1f ms, page tables +%ld kB (%s)\n", t1 - t0,
	       pt1 - pt0, pt1 == pt0 ? "one marker in the PUD" :
	       pt1 - pt0 < 64 ? "a marker in each empty PMD" :
	       "PTE markers in a table per 2 MiB");
	p[len / 2 + 3 * page] = 1;
	pt2 = vmpte_kb();
	printf("  one byte written: page tables +%ld kB more\n", pt2 - pt1);
	scan_written("the written page, numbered from the middle",
		     p + len / 2, 8, " 3");
	close(fd);
	munmap(p, len);
}

int main(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	int ret = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	page = sysconf(_SC_PAGESIZE);
	psize = page;
	uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0)
		die("userfaultfd");
	if (ioctl(uffd, UFFDIO_API, &api))
		die("UFFDIO_API");
	printf("userfaultfd features advertised (%#llx):",
	       (unsigned long long)api.features);
	for (int i = 0; i < 64; i++)
		if (api.features & (1ULL << i))
			printf(" %s", feature_names[i] ? feature_names[i] : "?");
	printf("\n");

	char *src = aligned_alloc(page, page);
	char *area = mmap(NULL, page, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (!src || area == MAP_FAILED)
		die("allocation");
	memcpy(src, "hello", 6);

	bool wp = api.features & UFFD_FEATURE_PAGEFAULT_FLAG_WP;
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)area, .len = page },
		.mode = UFFDIO_REGISTER_MODE_MISSING |
			(wp ? UFFDIO_REGISTER_MODE_WP : 0),
	};
	if (ioctl(uffd, UFFDIO_REGISTER, &reg)) {
		if (!wp || errno != EINVAL)
			die("UFFDIO_REGISTER");
		printf("anonymous write-protect: advertised but not supported on this arch\n");
		ret = 1;
		reg.mode = UFFDIO_REGISTER_MODE_MISSING;
		wp = false;
		if (ioctl(uffd, UFFDIO_REGISTER, &reg))
			die("UFFDIO_REGISTER");
	}

	printf("missing fault on anonymous memory:\n");
	fault_once(src, read_first, area);
	if (wp) {
		struct uffdio_writeprotect prot = {
			.range = reg.range, .mode = UFFDIO_WRITEPROTECT_MODE_WP,
		};
		printf("write-protect fault on anonymous memory:\n");
		if (ioctl(uffd, UFFDIO_WRITEPROTECT, &prot))
			die("UFFDIO_WRITEPROTECT");
		show_pagemap("after protecting", area);
		fault_once(src, write_first, area);
		show_pagemap("after the write", area);
	}
	dev_userfaultfd();
	if (api.features & UFFD_FEATURE_WP_HUGETLBFS_SHMEM) {
		wp_untouched("shmem", false);
		wp_untouched("hugetlbfs", true);
	}
	huge_mremap();
	if (api.features & UFFD_FEATURE_MINOR_SHMEM)
		minor("shmem", false);
	if (api.features & UFFD_FEATURE_MINOR_HUGETLBFS)
		minor("hugetlbfs", true);
	if (api.features & UFFD_FEATURE_WP_ASYNC) {
		write_watch();
		big_watch();
	}
	ret |= failed;
	printf("demo %s\n", ret ? "FAILED" : "done");
	return ret;
}
