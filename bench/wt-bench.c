// SPDX-License-Identifier: GPL-2.0
/*
 * wt-bench: what it costs to learn which pages a program wrote.
 *
 * Five methods track writes to one range; each is timed on the same random
 * set of written pages, and each result is checked against that set:
 *
 *   scan       PAGEMAP_SCAN with PM_SCAN_WP_MATCHING over WP_ASYNC uffd-wp
 *              (GetWriteWatch and ResetWriteWatch in one call)
 *   pagemap57  WP_ASYNC uffd-wp: read pagemap bit 57, UFFDIO_WRITEPROTECT
 *   sync       uffd-wp with a handler thread that records and unprotects
 *   softdirty  pagemap bit 55, then "4" into /proc/self/clear_refs
 *   mprotect   PROT_READ and a SIGSEGV handler that records and unprotects
 *
 * Figures (-F):
 *   1  scan-and-reset cycle over anon memory, by range size and written share
 *   2  cost of a tracked write: every 4K page written once after arming,
 *      for anon, anon THP, shmem and hugetlb
 *   3  arming an untouched range: time, and the growth of PageTables
 *   4  residency scan of a sparse range (1% of it populated), PAGEMAP_SCAN
 *      for PRESENT|SWAPPED against reading /proc/self/pagemap
 *
 * Each result is one line on stdout:
 *   @bench fig method mem size_MiB written_permille unit median min max status
 * status is ok, coarse (reported unwritten pages too), MISSED (missed a
 * write: the exit status is then 1) or unsupported (the kernel lacks it).
 * Progress goes to stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/fs.h>
#include <linux/userfaultfd.h>

#define KB	1024UL
#define MB	(1024 * KB)
#define GB	(1024 * MB)
#define PSZ	4096UL
#define HPSZ	(2 * MB)
#define MAXV	32

#define PM_SOFT_DIRTY	(1ULL << 55)
#define PM_UFFD_WP	(1ULL << 57)
#define PM_SWAP		(1ULL << 62)
#define PM_PRESENT	(1ULL << 63)

enum mem { ANON, THP, SHMEM, HUGETLB, NMEM };
static const char *mem_name[NMEM] = { "anon", "thp", "shmem", "hugetlb" };

struct region {
	enum mem mem;
	char *p;
	size_t size;
	size_t unit;		/* tracking granularity: 4K, or 2M for hugetlb */
	int memfd;
	int uffd;
};

struct method {
	const char *name;
	/* start tracking the region; -1 with errno when unsupported */
	int (*arm)(struct region *r);
	/* store the written units' indices in found[], reset; return count */
	long (*collect)(struct region *r, uint32_t *found);
	void (*disarm)(struct region *r);
};

static int reps = 5;
static int pagemap_fd, failed;
static uint32_t *found;		/* collect()'s output, up to 1G units */
static struct page_region *vec;
static size_t vec_len;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "wt-bench: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* ---- the record shared by the mprotect and sync methods ---- */

static uint32_t *record;
static volatile long nrecord;
static struct region *rec_region;

static void record_unit(unsigned long addr)
{
	long i = __atomic_fetch_add(&nrecord, 1, __ATOMIC_RELAXED);

	record[i] = (addr - (unsigned long)rec_region->p) / rec_region->unit;
}

static long take_record(uint32_t *out)
{
	long n = nrecord;

	memcpy(out, record, n * sizeof(*out));
	nrecord = 0;
	return n;
}

/* ---- async uffd-wp: scan and pagemap57 ---- */

static int uffd_open(uint64_t features)
{
	struct uffdio_api api = { .api = UFFD_API, .features = features };
	int fd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return -1;
	if (ioctl(fd, UFFDIO_API, &api)) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int uffd_wp(struct region *r, bool on)
{
	struct uffdio_writeprotect wp = {
		.range = { (unsigned long)r->p, r->size },
		.mode = on ? UFFDIO_WRITEPROTECT_MODE_WP : 0,
	};

	return ioctl(r->uffd, UFFDIO_WRITEPROTECT, &wp);
}

/* A userfaultfd with @features, and @r registered for write-protection */
static int uffd_register(struct region *r, uint64_t features)
{
	struct uffdio_register reg = {
		.range = { (unsigned long)r->p, r->size },
		.mode = UFFDIO_REGISTER_MODE_WP,
	};

	if (r->mem == SHMEM || r->mem == HUGETLB)
		features |= UFFD_FEATURE_WP_HUGETLBFS_SHMEM;
	r->uffd = uffd_open(features);
	if (r->uffd < 0)
		return -1;
	if (ioctl(r->uffd, UFFDIO_REGISTER, &reg)) {
		int e = errno;

		close(r->uffd);
		errno = e;
		return -1;
	}
	return 0;
}

static int uffd_arm(struct region *r, uint64_t features)
{
	int e;

	if (uffd_register(r, features))
		return -1;
	if (!uffd_wp(r, true))
		return 0;
	e = errno;
	close(r->uffd);
	errno = e;
	return -1;
}

static int async_arm(struct region *r)
{
	return uffd_arm(r, UFFD_FEATURE_WP_ASYNC | UFFD_FEATURE_WP_UNPOPULATED);
}

static int scan_arm(struct region *r)
{
	struct pm_scan_arg arg = { .size = sizeof(arg) };

	if (ioctl(pagemap_fd, PAGEMAP_SCAN, &arg))	/* ENOTTY before 6.7 */
		return -1;
	return async_arm(r);
}

static void uffd_disarm(struct region *r)
{
	close(r->uffd);
}

/*
 * PAGEMAP_SCAN over [start, end); the units of regions with categories in
 * mask go to @out (when not NULL), and their count is returned.  A call that
 * leaves room in the vec has walked to the end: upstream 6.12 may return a
 * walk_end short of it after its own buffer filled, and a caller that went
 * on from there would see regions twice.
 */
static long scan_regions(struct region *r, uint64_t flags, uint64_t anyof,
			 uint64_t mask, uint32_t *out)
{
	struct pm_scan_arg arg = {
		.size = sizeof(arg), .flags = flags,
		.start = (unsigned long)r->p,
		.end = (unsigned long)r->p + r->size,
		.vec = (unsigned long)vec, .vec_len = vec_len,
		.category_mask = mask, .category_anyof_mask = anyof,
		.return_mask = mask | anyof,
	};
	long n = 0, k;

	do {
		k = ioctl(pagemap_fd, PAGEMAP_SCAN, &arg);
		if (k < 0)
			die("PAGEMAP_SCAN");
		for (long i = 0; i < k; i++)
			for (uint64_t a = vec[i].start; a < vec[i].end;
			     a += r->unit, n++)
				if (out)
					out[n] = (a - (unsigned long)r->p) / r->unit;
		arg.start = arg.walk_end;
	} while (k == (long)vec_len && arg.start < arg.end);
	return n;
}

static long scan_collect(struct region *r, uint32_t *out)
{
	return scan_regions(r, PM_SCAN_WP_MATCHING, 0, PAGE_IS_WRITTEN, out);
}

/* units whose pagemap entry matches: (e & mask) == want, e present or swapped */
static long pagemap_units(struct region *r, uint64_t mask, uint64_t want,
			  uint32_t *out)
{
	static uint64_t buf[65536];
	size_t n = r->size / PSZ, step = r->unit / PSZ;
	long k = 0;

	for (size_t i = 0; i < n; i += 65536) {
		size_t c = n - i < 65536 ? n - i : 65536;
		off_t off = ((unsigned long)r->p / PSZ + i) * 8;

		if (pread(pagemap_fd, buf, c * 8, off) != (ssize_t)(c * 8))
			die("pread pagemap");
		for (size_t j = 0; j < c; j += step)
			if ((buf[j] & (PM_PRESENT | PM_SWAP)) &&
			    (buf[j] & mask) == want)
				out[k++] = (i + j) / step;
	}
	return k;
}

static long pagemap57_collect(struct region *r, uint32_t *out)
{
	long n = pagemap_units(r, PM_UFFD_WP, 0, out);

	if (uffd_wp(r, true))
		die("UFFDIO_WRITEPROTECT");
	return n;
}

/* ---- sync uffd-wp ---- */

static pthread_t sync_thread;
static int sync_stop[2];

static void *sync_handler(void *arg)
{
	struct region *r = arg;
	struct pollfd pfd[2] = {
		{ .fd = r->uffd, .events = POLLIN },
		{ .fd = sync_stop[0], .events = POLLIN },
	};
	struct uffd_msg msg[64];

	for (;;) {
		ssize_t n;

		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			die("poll");
		if (pfd[1].revents)
			return NULL;
		n = read(r->uffd, msg, sizeof(msg));
		if (n < 0) {
			if (errno == EAGAIN)
				continue;
			die("read uffd");
		}
		for (long i = 0; i < n / (long)sizeof(msg[0]); i++) {
			unsigned long a = msg[i].arg.pagefault.address & ~(r->unit - 1);
			struct uffdio_writeprotect wp = { .range = { a, r->unit } };

			if (msg[i].event != UFFD_EVENT_PAGEFAULT ||
			    !(msg[i].arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP)) {
				fprintf(stderr, "wt-bench: unexpected uffd message\n");
				exit(2);
			}
			record_unit(a);
			if (ioctl(r->uffd, UFFDIO_WRITEPROTECT, &wp))
				die("UFFDIO_WRITEPROTECT (resolve)");
		}
	}
}

static int sync_arm(struct region *r)
{
	if (uffd_arm(r, 0))
		return -1;
	rec_region = r;
	nrecord = 0;
	if (pipe(sync_stop) || pthread_create(&sync_thread, NULL, sync_handler, r))
		die("sync handler");
	return 0;
}

static long sync_collect(struct region *r, uint32_t *out)
{
	long n = take_record(out);

	if (uffd_wp(r, true))
		die("UFFDIO_WRITEPROTECT");
	return n;
}

static void sync_disarm(struct region *r)
{
	if (write(sync_stop[1], "", 1) != 1)
		die("write");
	pthread_join(sync_thread, NULL);
	close(sync_stop[0]);
	close(sync_stop[1]);
	close(r->uffd);
}

/* ---- soft-dirty ---- */

static void clear_refs(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY);

	if (fd < 0 || write(fd, "4", 1) != 1)
		die("clear_refs");
	close(fd);
}

static int map_region(struct region *r, enum mem mem, size_t size);
static void unmap_region(struct region *r);

/*
 * Kernels without CONFIG_MEM_SOFT_DIRTY (arm64) leave bit 55 clear, and
 * clear_refs does not clean hugetlb entries: probe once per kind of memory.
 */
static bool softdirty_works(enum mem mem)
{
	static int known[NMEM];
	struct region t;
	uint64_t e[2] = { 0, 0 };

	if (!known[mem]) {
		known[mem] = -1;
		if (!map_region(&t, mem, mem == HUGETLB ? HPSZ : PSZ)) {
			off_t off = (unsigned long)t.p / PSZ * 8;

			t.p[0] = 1;
			clear_refs();
			if (pread(pagemap_fd, &e[0], 8, off) != 8)
				die("pread pagemap");
			t.p[0] = 2;
			if (pread(pagemap_fd, &e[1], 8, off) != 8)
				die("pread pagemap");
			unmap_region(&t);
		}
		if (!(e[0] & PM_SOFT_DIRTY) && (e[1] & PM_SOFT_DIRTY))
			known[mem] = 1;
	}
	return known[mem] > 0;
}

static int softdirty_arm(struct region *r)
{
	if (!softdirty_works(r->mem)) {
		errno = EOPNOTSUPP;
		return -1;
	}
	clear_refs();
	return 0;
}

static long softdirty_collect(struct region *r, uint32_t *out)
{
	long n = pagemap_units(r, PM_SOFT_DIRTY, PM_SOFT_DIRTY, out);

	clear_refs();
	return n;
}

static void softdirty_disarm(struct region *r)
{
	(void)r;
}

/* ---- mprotect and SIGSEGV ---- */

static void segv(int sig, siginfo_t *si, void *uc)
{
	unsigned long a = (unsigned long)si->si_addr & ~(rec_region->unit - 1);

	(void)sig;
	(void)uc;
	if (a < (unsigned long)rec_region->p ||
	    a >= (unsigned long)rec_region->p + rec_region->size)
		abort();
	record_unit(a);
	mprotect((void *)a, rec_region->unit, PROT_READ | PROT_WRITE);
}

static int mprotect_arm(struct region *r)
{
	struct sigaction sa = { .sa_sigaction = segv, .sa_flags = SA_SIGINFO };

	rec_region = r;
	nrecord = 0;
	sigaction(SIGSEGV, &sa, NULL);
	return mprotect(r->p, r->size, PROT_READ);
}

static long mprotect_collect(struct region *r, uint32_t *out)
{
	long n = take_record(out);

	if (mprotect(r->p, r->size, PROT_READ))
		die("mprotect");
	return n;
}

static void mprotect_disarm(struct region *r)
{
	mprotect(r->p, r->size, PROT_READ | PROT_WRITE);
	signal(SIGSEGV, SIG_DFL);
}

static const struct method methods[] = {
	{ "scan", scan_arm, scan_collect, uffd_disarm },
	{ "pagemap57", async_arm, pagemap57_collect, uffd_disarm },
	{ "sync", sync_arm, sync_collect, sync_disarm },
	{ "softdirty", softdirty_arm, softdirty_collect, softdirty_disarm },
	{ "mprotect", mprotect_arm, mprotect_collect, mprotect_disarm },
};
#define NMETHODS (sizeof(methods) / sizeof(methods[0]))

/* ---- memory ---- */

static int map_region(struct region *r, enum mem mem, size_t size)
{
	int flags = MAP_SHARED, fd = -1;
	size_t align;
	char *p;

	memset(r, 0, sizeof(*r));
	r->mem = mem;
	r->size = size;
	r->unit = mem == HUGETLB ? HPSZ : PSZ;
	r->uffd = -1;
	if (mem == SHMEM || mem == HUGETLB) {
		fd = memfd_create("wt-bench", mem == HUGETLB ? MFD_HUGETLB : 0);
		if (fd < 0 || ftruncate(fd, size))
			return -1;
	} else {
		flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	}
	/*
	 * 2M-aligned, so that THP and hugetlb line up, and 1G-aligned from
	 * 1G up, so that a range has whole spans of a PUD, as a large
	 * allocation of a program that tracks it would
	 */
	align = size >= GB ? GB : HPSZ;
	p = mmap(NULL, size + align, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
		 MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	munmap(p, size + align);
	p = (char *)(((unsigned long)p + align - 1) & ~(align - 1));
	p = mmap(p, size, PROT_READ | PROT_WRITE, flags | MAP_FIXED, fd, 0);
	if (p == MAP_FAILED) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (mem != HUGETLB)
		madvise(p, size, mem == THP ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	r->p = p;
	r->memfd = fd;
	return 0;
}

static void unmap_region(struct region *r)
{
	munmap(r->p, r->size);
	if (r->memfd >= 0)
		close(r->memfd);
}

static void populate(struct region *r)
{
	for (size_t o = 0; o < r->size; o += PSZ)
		r->p[o] = 1;
}

/* ---- the written set: unit i is written when hash(seed, i) says so ---- */

static bool chosen(uint64_t seed, uint64_t i, int permille)
{
	uint64_t x = (seed << 32 ^ i) * 0x9e3779b97f4a7c15ULL;

	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 32;
	return x % 1000 < (uint64_t)permille;
}

/* write the chosen units; return how many */
static long write_set(struct region *r, uint64_t seed, int permille)
{
	size_t n = r->size / r->unit;
	long k = 0;

	for (size_t i = 0; i < n; i++)
		if (chosen(seed, i, permille)) {
			r->p[i * r->unit + 8]++;
			k++;
		}
	return k;
}

static int cmp_u32(const void *a, const void *b)
{
	return (int)(*(uint32_t *)a > *(uint32_t *)b) -
	       (int)(*(uint32_t *)a < *(uint32_t *)b);
}

/*
 * Compare found[0..n) with the chosen set of k units: "ok", "coarse" when
 * unwritten units were reported too, "MISSED" when a written one was not.
 */
static const char *check(struct region *r, long n, uint64_t seed,
			 int permille, long k)
{
	long hits = 0, extra = 0;

	qsort(found, n, sizeof(*found), cmp_u32);
	for (long i = 0; i < n; i++) {
		if (i && found[i] == found[i - 1])
			continue;
		if (found[i] < r->size / r->unit && chosen(seed, found[i], permille))
			hits++;
		else
			extra++;
	}
	if (hits < k)
		return "MISSED";
	return extra ? "coarse" : "ok";
}

/* ---- results ---- */

struct stat3 { double med, min, max; };

static int cmp_d(const void *a, const void *b)
{
	return (*(double *)a > *(double *)b) - (*(double *)a < *(double *)b);
}

static struct stat3 stats(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_d);
	return (struct stat3){ n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2,
			       v[0], v[n - 1] };
}

static void emit(int fig, const char *method, const char *mem, double mib,
		 int permille, const char *unit, double *v, int n,
		 const char *status)
{
	struct stat3 s = { 0, 0, 0 };

	if (n)
		s = stats(v, n);
	if (!strcmp(status, "MISSED"))
		failed = 1;
	printf("@bench %d %s %s %g %d %s %.3f %.3f %.3f %s\n", fig, method, mem,
	       mib, permille, unit, s.med, s.min, s.max, status);
	fflush(stdout);
}

static const char *worst(const char *a, const char *b)
{
	static const char *order[] = { "ok", "coarse", "MISSED" };
	int ia = 0, ib = 0;

	for (int i = 0; i < 3; i++) {
		if (!strcmp(a, order[i]))
			ia = i;
		if (!strcmp(b, order[i]))
			ib = i;
	}
	return ia > ib ? a : b;
}

/* progress on stderr, with an estimate of what is left of this figure */
static uint64_t fig_t0;
static double fig_done, fig_total;

static void progress(int fig, const char *what, double weight)
{
	double el = (now_ns() - fig_t0) / 1e9;

	if (fig_done > 0)
		fprintf(stderr, "wt-bench: figure %d: %s (~%.0f s left in this figure)\n",
			fig, what, el / fig_done * (fig_total - fig_done));
	else
		fprintf(stderr, "wt-bench: figure %d: %s\n", fig, what);
	fig_done += weight;
}

/* ---- figure 1: scan-and-reset cycle ---- */

static size_t sizes[MAXV] = { 64, 256, 1024, 4096 };
static int nsizes = 4;
static int shares[MAXV] = { 1, 10, 100, 1000 };
static int nshares = 4;

static void fig1(void)
{
	fig_t0 = now_ns();
	fig_done = 0;
	fig_total = 0;
	for (int s = 0; s < nsizes; s++)
		fig_total += NMETHODS * sizes[s];
	for (int s = 0; s < nsizes; s++) {
		for (size_t m = 0; m < NMETHODS; m++) {
			const struct method *me = &methods[m];
			struct region r;
			char what[96];

			snprintf(what, sizeof(what), "%s, %zu MiB", me->name, sizes[s]);
			progress(1, what, sizes[s]);
			if (map_region(&r, ANON, sizes[s] * MB))
				die("mmap");
			populate(&r);
			if (me->arm(&r)) {
				for (int f = 0; f < nshares; f++)
					emit(1, me->name, "anon", sizes[s], shares[f],
					     "us/cycle", NULL, 0, "unsupported");
				unmap_region(&r);
				continue;
			}
			me->collect(&r, found);
			for (int f = 0; f < nshares; f++) {
				double cyc[64], wr[64];
				const char *st = "ok";

				for (int i = 0; i < reps; i++) {
					uint64_t seed = i + 1, t0, t1, t2;
					long k, n;

					t0 = now_ns();
					k = write_set(&r, seed, shares[f]);
					t1 = now_ns();
					n = me->collect(&r, found);
					t2 = now_ns();
					cyc[i] = (t2 - t1) / 1e3;
					wr[i] = k ? (double)(t1 - t0) / k : 0;
					st = worst(st, check(&r, n, seed, shares[f], k));
				}
				emit(1, me->name, "anon", sizes[s], shares[f],
				     "us/cycle", cyc, reps, st);
				emit(1, me->name, "anon", sizes[s], shares[f],
				     "ns/write", wr, reps, st);
			}
			me->disarm(&r);
			unmap_region(&r);
		}
	}
}

/* ---- figure 2: one tracked write ---- */

/* page faults taken by the whole system so far; -1 without vm counters */
static long vmstat_pgfault(void)
{
	char line[128];
	long n = -1;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		die("/proc/vmstat");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "pgfault %ld", &n) == 1)
			break;
	fclose(f);
	return n;
}

static size_t fig2_mib = 64;

static void fig2(void)
{
	fig_t0 = now_ns();
	fig_done = 0;
	fig_total = NMEM * (NMETHODS + 1);
	for (int mem = 0; mem < NMEM; mem++) {
		size_t size = fig2_mib * MB;

		if (mem == HUGETLB)
			size = size < 32 * MB ? size : 32 * MB;
		size = (size + HPSZ - 1) & ~(HPSZ - 1);
		for (size_t m = 0; m <= NMETHODS; m++) {
			const struct method *me = m < NMETHODS ? &methods[m] : NULL;
			const char *name = me ? me->name : "none";
			double v[64], faults[64];
			const char *st = "ok";
			struct region r;
			char what[96];

			snprintf(what, sizeof(what), "%s, %s", name, mem_name[mem]);
			progress(2, what, 1);
			if (map_region(&r, mem, size)) {
				emit(2, name, mem_name[mem], size / MB, 1000,
				     "ns/page", NULL, 0, "unsupported");
				continue;
			}
			populate(&r);
			if (me && me->arm(&r)) {
				emit(2, name, mem_name[mem], size / MB, 1000,
				     "ns/page", NULL, 0, "unsupported");
				unmap_region(&r);
				continue;
			}
			if (me)
				me->collect(&r, found);
			for (int i = 0; i < reps; i++) {
				long f0 = vmstat_pgfault();
				uint64_t t0 = now_ns();

				for (size_t o = 0; o < size; o += PSZ)
					r.p[o + 16]++;
				v[i] = (double)(now_ns() - t0) / (size / PSZ);
				faults[i] = f0 < 0 ? -1 :
					(double)(vmstat_pgfault() - f0) / (size / PSZ);
				if (me)
					st = worst(st, check(&r, me->collect(&r, found),
							     0, 1000, size / r.unit));
			}
			emit(2, name, mem_name[mem], size / MB, 1000, "ns/page",
			     v, reps, st);
			if (faults[0] >= 0)	/* CONFIG_VM_EVENT_COUNTERS */
				emit(2, name, mem_name[mem], size / MB, 1000,
				     "faults/page", faults, reps, st);
			if (me)
				me->disarm(&r);
			unmap_region(&r);
		}
	}
}

/* ---- figure 3: arming an untouched range ---- */

static size_t fig3_sizes[MAXV] = { 1024, 8192 };
static int nfig3 = 2;

static long page_tables_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		die("/proc/meminfo");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "PageTables: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

#define SPAN	(2UL << 20)	/* what one page table maps, with 4K pages */

/* One span in this many is written into, to time a write and a sparse scan */
#define SPAN_STEP	64

/* The mean time of a write into page @pg of every SPAN_STEP-th span, ns */
static double write_spans(struct region *r, size_t pg)
{
	size_t spans = r->size / SPAN, n = 0;
	uint64_t t0 = now_ns();

	for (size_t i = 0; i < spans; i += SPAN_STEP, n++)
		r->p[i * SPAN + pg * PSZ] = 1;
	return n ? (double)(now_ns() - t0) / n : 0;
}

/*
 * On a range the scan method armed: a PAGEMAP_SCAN for written pages of
 * the untouched range, the first write into each GiB (its last span; where
 * a kernel that protects an empty GiB with a PUD marker allocates its PMD
 * table and a page table), the first write into every SPAN_STEP-th span (where
 * a kernel that protects an empty span with a PMD marker allocates its
 * page table), a second write into each of those spans (the PTE marker
 * path on any kernel), and the scan again.  Then the first write into
 * spans that protection left a page of, which any kernel protects with
 * PTE markers in a table: the path a PMD or PUD marker is measured against.
 * Results in @v: us, ns, ns, us, ns, ns.
 */
static void armed_costs(struct region *r, double v[6])
{
	size_t spans = r->size / SPAN, gibs = r->size / GB;
	long written = 2 * ((spans + SPAN_STEP - 1) / SPAN_STEP) + gibs;
	struct region pt;
	uint64_t t0;
	long n;

	t0 = now_ns();
	n = scan_regions(r, 0, 0, PAGE_IS_WRITTEN, NULL);
	v[0] = (now_ns() - t0) / 1e3;
	if (n)
		die("an untouched armed range reads as written");
	/* The last span of a GiB: SPAN_STEP divides the spans of a GiB */
	t0 = now_ns();
	for (size_t g = 0; g < gibs; g++)
		r->p[(g + 1) * GB - SPAN + 33 * PSZ] = 1;
	v[5] = gibs ? (double)(now_ns() - t0) / gibs : 0;
	v[1] = write_spans(r, 17);
	v[2] = write_spans(r, 5);
	t0 = now_ns();
	n = scan_regions(r, 0, 0, PAGE_IS_WRITTEN, NULL);
	v[3] = (now_ns() - t0) / 1e3;
	if (n != written) {
		errno = EIO;
		die("the written pages of an armed range");
	}

	if (map_region(&pt, r->mem, r->size))
		die("mmap");
	if (uffd_register(&pt, UFFD_FEATURE_WP_ASYNC | UFFD_FEATURE_WP_UNPOPULATED))
		die("UFFDIO_REGISTER");
	for (size_t i = 0; i < spans; i++) {
		struct uffdio_writeprotect wp = {
			.range = { (unsigned long)pt.p + i * SPAN + PSZ,
				   SPAN - PSZ },
			.mode = UFFDIO_WRITEPROTECT_MODE_WP,
		};

		if (ioctl(pt.uffd, UFFDIO_WRITEPROTECT, &wp))
			die("UFFDIO_WRITEPROTECT");
	}
	v[4] = write_spans(&pt, 17);
	close(pt.uffd);
	unmap_region(&pt);
}

static void fig3(void)
{
	static const enum mem mems[] = { ANON, SHMEM };
	static const char *armed_units[] = { "scan_armed_us", "first_write_ns",
					     "next_write_ns", "scan_written_us",
					     "pte_first_write_ns",
					     "pud_first_write_ns" };

	fig_t0 = now_ns();
	fig_done = 0;
	fig_total = 2 * nfig3 * NMETHODS;
	for (int mi = 0; mi < 2; mi++)
		for (int s = 0; s < nfig3; s++)
			for (size_t m = 0; m < NMETHODS; m++) {
				const struct method *me = &methods[m];
				const char *mem = mem_name[mems[mi]];
				double t[64], pt[64], ac[6][64], v[6];
				bool armed = !strcmp(me->name, "scan");
				int i, ok = 1;
				char what[96];

				snprintf(what, sizeof(what), "%s, %s %zu MiB untouched",
					 me->name, mem, fig3_sizes[s]);
				progress(3, what, 1);
				for (i = 0; i < reps && ok; i++) {
					struct region r;
					long pt0 = page_tables_kb();
					uint64_t t0;

					if (map_region(&r, mems[mi], fig3_sizes[s] * MB))
						die("mmap");
					t0 = now_ns();
					ok = !me->arm(&r);
					t[i] = (now_ns() - t0) / 1e6;
					pt[i] = page_tables_kb() - pt0;
					if (ok && armed) {
						armed_costs(&r, v);
						for (int k = 0; k < 6; k++)
							ac[k][i] = v[k];
					}
					if (ok)
						me->disarm(&r);
					unmap_region(&r);
				}
				emit(3, me->name, mem, fig3_sizes[s], 0, "ms",
				     t, ok ? reps : 0, ok ? "ok" : "unsupported");
				emit(3, me->name, mem, fig3_sizes[s], 0,
				     "PageTables_kB", pt, ok ? reps : 0,
				     ok ? "ok" : "unsupported");
				for (int k = 0; armed && k < 6; k++)
					emit(3, me->name, mem, fig3_sizes[s], 0,
					     armed_units[k], ac[k], ok ? reps : 0,
					     ok ? "ok" : "unsupported");
			}
}

/* ---- figure 4: residency of a sparse range ---- */

static size_t fig4_gib = 64;

static void fig4(void)
{
	struct region r;
	size_t chunk = 16 * PSZ;	/* populated in 64K pieces */
	long k = 0;

	fig_t0 = now_ns();
	fig_done = 0;
	fig_total = 2;
	if (map_region(&r, ANON, fig4_gib * GB))
		die("mmap");
	for (size_t c = 0; c < r.size / chunk; c++)
		if (chosen(99, c, 10)) {
			memset(r.p + c * chunk, 1, chunk);
			k += chunk / PSZ;
		}
	for (int m = 0; m < 2; m++) {
		const char *name = m ? "pagemap" : "scan";
		const char *st = "ok";
		double v[64];
		int n = 0;

		progress(4, name, 1);
		for (int i = 0; i < reps; i++) {
			uint64_t t0 = now_ns();
			long got;

			if (m)
				got = pagemap_units(&r, 0, 0, found);
			else {
				struct pm_scan_arg probe = { .size = sizeof(probe) };

				if (ioctl(pagemap_fd, PAGEMAP_SCAN, &probe))
					break;
				got = scan_regions(&r, 0, PAGE_IS_PRESENT |
						   PAGE_IS_SWAPPED, 0, found);
			}
			v[n++] = (now_ns() - t0) / 1e6;
			/* every unit of a chosen chunk, and nothing else */
			for (long j = 0; j < got; j++)
				if (!chosen(99, found[j] / 16, 10))
					st = worst(st, "coarse");
			if (got < k)
				st = "MISSED";
		}
		emit(4, name, "anon", fig4_gib * 1024, 10, "ms", v, n,
		     n ? st : "unsupported");
	}
	unmap_region(&r);
}

static int parse_list(char *s, void *out, bool sz)
{
	int n = 0;

	for (char *t = strtok(s, ","); t && n < MAXV; t = strtok(NULL, ","), n++) {
		if (sz)
			((size_t *)out)[n] = strtoul(t, NULL, 0);
		else
			((int *)out)[n] = atoi(t);
	}
	return n;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: wt-bench [-r reps] [-F figures] [-s MiB,...] [-w permille,...]\n"
		"                [-m fig2_MiB] [-a fig3_MiB,...] [-g fig4_GiB]\n"
		"defaults: -r 5 -F 1234 -s 64,256,1024,4096 -w 1,10,100,1000\n"
		"          -m 64 -a 1024,8192 -g 64\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *figs = "1234";
	size_t most;
	int c;

	while ((c = getopt(argc, argv, "hr:F:s:w:m:a:g:")) != -1) {
		switch (c) {
		case 'r': reps = atoi(optarg); break;
		case 'F': figs = optarg; break;
		case 's': nsizes = parse_list(optarg, sizes, true); break;
		case 'w': nshares = parse_list(optarg, shares, false); break;
		case 'm': fig2_mib = strtoul(optarg, NULL, 0); break;
		case 'a': nfig3 = parse_list(optarg, fig3_sizes, true); break;
		case 'g': fig4_gib = strtoul(optarg, NULL, 0); break;
		default: usage();
		}
	}
	if (reps < 1 || reps > 64 || !nsizes || !nshares || !nfig3)
		usage();

	pagemap_fd = open("/proc/self/pagemap", O_RDONLY);
	if (pagemap_fd < 0)
		die("/proc/self/pagemap");
	most = fig2_mib * MB;
	for (int s = 0; s < nsizes; s++)
		most = sizes[s] * MB > most ? sizes[s] * MB : most;
	if (strchr(figs, '4'))
		most = fig4_gib * GB / 100 * 2 > most ? fig4_gib * GB / 100 * 2 : most;
	vec_len = most / PSZ / 2 + 1;
	found = malloc(most / PSZ * sizeof(*found));
	record = malloc(most / PSZ * sizeof(*record));
	vec = malloc(vec_len * sizeof(*vec));
	if (!found || !record || !vec)
		die("malloc");
	printf("@bench-start reps=%d\n", reps);
	if (strchr(figs, '1'))
		fig1();
	if (strchr(figs, '2'))
		fig2();
	if (strchr(figs, '3'))
		fig3();
	if (strchr(figs, '4'))
		fig4();
	printf("@bench-end %s\n", failed ? "MISSED" : "ok");
	return failed;
}
