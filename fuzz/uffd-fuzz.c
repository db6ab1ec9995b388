// SPDX-License-Identifier: GPL-2.0
/*
 * uffd-fuzz: random sequences of memory operations over userfaultfd
 * write-protection (sync and WP_ASYNC), missing and minor faults and
 * PAGEMAP_SCAN, each checked against a shadow model of the memory.
 *
 *   uffd-fuzz [-s SEED] [-n OPS] [-t SECONDS] [-P] [-v]
 *
 * -P: the hugetlb pool is shared with other programs (trinity, under make
 * stress), which may take all of it at any time. The model cannot predict
 * the ENOMEM of a reservation or the SIGBUS of a fault then, so no hugetlb
 * region is mapped.
 *
 * Every unit (a base page, or a huge page of hugetlb) has a model: its
 * value (the content is a pattern made from it; 0 is zeroes), whether it is
 * write-protected (no, yes or unknown), whether it was written since its
 * protection was last reset (then every interface must say so), and whether
 * it is mapped or has page cache. After each operation the touched region is
 * checked: every word of content, PAGEMAP_SCAN's categories against the
 * model and against pagemap's bit 57, a filtered scan against the
 * unfiltered one, the write-protect faults a write raised or did not raise,
 * and the errno of every call against the one the model predicts.
 *
 * At the end it prints how many operations of each kind ran and how long
 * they took. On a failure it prints the seed, the operation number and the
 * history of the last operations, and exits 1. With one seed and the same
 * kernel a run is reproducible, except for the race and concurrent
 * operations, whose threads interleave as they will.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MFD_HUGETLB
#define MFD_HUGETLB 4U
#endif

#define PS		4096UL
#define HPS		(2UL << 20)
#define NREG		6
#define NWORDS		8
#define HIST		256
#define FORK_UNITS	16
#define PM_UFFD_WP	(1ULL << 57)
#define PM_SWAP		(1ULL << 62)
#define PM_PRESENT	(1ULL << 63)
#define ALL_CATS	0xffULL
#define HANG_SECS	180

enum type { T_ANON, T_THP, T_SHMEM, T_HUGE, T_HUGE_PRIV, T_FILE, NTYPES };
static const char *tname[] = { "anon", "thp", "shmem", "hugetlb",
			       "hugetlb-private", "file" };
enum mode { M_NONE, M_SYNC, M_ASYNC };
static const char *mname[] = { "none", "sync", "async" };
enum { NO, YES, UNK };	/* a tri-state of the model */

struct unit {
	uint64_t v;		/* content: a pattern of v, or zeroes when 0 */
	uint8_t wp;		/* write-protected: NO, YES or UNK */
	uint8_t written;	/* written since reset: must be reported */
	uint8_t mapped;		/* mapped in this mm: NO, YES or UNK */
	uint8_t cached;		/* file types: in the page cache */
	uint32_t faults;	/* write-protect faults the handler served */
};

struct region {
	bool used;
	bool split;		/* VMAs that mprotect() may have left apart */
	int type, mode, fd;
	uint64_t regmode;	/* UFFDIO_REGISTER_MODE_* */
	char *addr;
	size_t n, us;		/* units, unit size */
	struct unit *u;
};

static struct region reg[NREG];
static int uffd[3] = { -1, -1, -1 };	/* by mode: sync and async */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned int hgen;	/* the handler's passes through its loop */
static volatile int racing;	/* writers race a WRITEPROTECT: faults may repeat */
static uint64_t seed, rng, opno, vctr = 1;
static int verbose, shared_pool, pagemap_fd, have_huge, have_file, have_thp, have_swap;
static char hist[HIST][160];
static uint64_t stats_ops[32], stats_us[32], nfaults, nchecks, nfalse_pos;
static struct page_region *vec;
static size_t vec_max;

/* xorshift64*: one stream for the whole run, from the seed */
static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static uint64_t rn(uint64_t n)
{
	return n ? rnd() % n : 0;
}

/* What operation opno did, for the history: a second note appends. */
static void note(const char *fmt, ...)
{
	static uint64_t last = -1;
	char *h = hist[opno % HIST];
	size_t n = 0;
	va_list ap;

	if (last == opno && (n = strlen(h)) < sizeof(hist[0]) - 3) {
		strcpy(h + n, "; ");
		n += 2;
	}
	last = opno;
	va_start(ap, fmt);
	vsnprintf(h + n, sizeof(hist[0]) - n, fmt, ap);
	va_end(ap);
	if (verbose)
		printf("# %" PRIu64 ": %s\n", opno, h);
}

static void history(void)
{
	uint64_t i;

	printf("\n# the last operations:\n");
	for (i = opno >= HIST ? opno - HIST + 1 : 0; i <= opno; i++)
		printf("#   %" PRIu64 ": %s\n", i, hist[i % HIST]);
}

/* A failure at operation @op: the TAP line, and the last operations */
static void __attribute__((format(printf, 2, 3))) fail_begin(uint64_t op, const char *fmt, ...)
{
	va_list ap;

	printf("not ok 1 uffd-fuzz seed %" PRIu64 " op %" PRIu64 ": ", seed, op);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	history();
}

/* The line that replays the failure at operation @op, and the exit */
static void __attribute__((noreturn)) fail_end(uint64_t op)
{
	printf("# reproduce: uffd-fuzz -s %" PRIu64 " -n %" PRIu64 "\n", seed, op + 1);
	fflush(stdout);
	_exit(1);
}

static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
	char line[256], msg[512];
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fail_begin(opno, "%s", msg);
	printf("# the mappings:\n");
	f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof(line), f))
		printf("#   %s", line);
	fail_end(opno);
}

static uint64_t word(uint64_t v, int k)
{
	return v ? (v * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)k << 56) ^ 0x5a5a : 0;
}

/* Where word @k of a unit of @us bytes lives: spread out, the last at its end */
static size_t woff(size_t us, int k)
{
	return k == NWORDS - 1 ? us - 8 : k * (us / NWORDS);
}

static uint64_t *wptr(struct region *r, size_t i, int k)
{
	return (uint64_t *)(r->addr + i * r->us + woff(r->us, k));
}

/* The uffd a call about @r goes to (an unregistered range: the sync one) */
static int ufd(struct region *r)
{
	return uffd[r->mode == M_NONE ? M_SYNC : r->mode];
}

static bool is_file(struct region *r)
{
	return r->type == T_SHMEM || r->type == T_HUGE || r->type == T_FILE;
}

static bool is_huge(struct region *r)
{
	return r->type == T_HUGE || r->type == T_HUGE_PRIV;
}

/* A region's name in messages: its type and slot */
static const char *nm(struct region *r)
{
	static char buf[4][24];
	static int k;
	char *b = buf[k++ % 4];

	snprintf(b, sizeof(buf[0]), "%s#%d", tname[r->type], (int)(r - reg));
	return b;
}

/* Whether r is registered for write-protection */
static bool wpreg(struct region *r)
{
	return r->regmode & UFFDIO_REGISTER_MODE_WP;
}

/*
 * A fault on unit i may map more than it: a THP maps its whole huge page,
 * and a file's fault-around maps the neighbours it finds in the page cache.
 */
static void touch(struct region *r, size_t i)
{
	size_t lo = 0, hi = r->n, j;
	bool anon = r->type == T_ANON || r->type == T_THP;

	if (anon) {
		/* THP is always on: any anonymous 2 MiB block may be one */
		unsigned long a = (unsigned long)r->addr, b;

		b = (a + i * PS) & ~(HPS - 1);
		lo = b > a ? (b - a) / PS : 0;
		hi = (b + HPS - a) / PS < r->n ? (b + HPS - a) / PS : r->n;
	} else if (r->type != T_SHMEM && r->type != T_FILE) {
		return;
	}
	for (j = lo; j < hi; j++)
		if (r->u[j].mapped == NO && (anon || r->u[j].cached != NO))
			r->u[j].mapped = UNK;
}

static struct region *find(unsigned long a, size_t *i)
{
	struct region *r;

	for (r = reg; r < reg + NREG; r++) {
		if (r->used && a >= (unsigned long)r->addr &&
		    a < (unsigned long)r->addr + r->n * r->us) {
			*i = (a - (unsigned long)r->addr) / r->us;
			return r;
		}
	}
	return NULL;
}

/* ---- userfaultfd ---- */

static int uffd_open(int mode)
{
	struct uffdio_api api = { .api = UFFD_API };
	int fd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		fail("userfaultfd: %s", strerror(errno));
	api.features = UFFD_FEATURE_WP_HUGETLBFS_SHMEM | UFFD_FEATURE_WP_UNPOPULATED;
	if (mode == M_SYNC)
		api.features |= UFFD_FEATURE_MISSING_SHMEM |
			UFFD_FEATURE_MISSING_HUGETLBFS |
			UFFD_FEATURE_MINOR_SHMEM | UFFD_FEATURE_MINOR_HUGETLBFS;
	else
		api.features |= UFFD_FEATURE_WP_ASYNC;
	if (ioctl(fd, UFFDIO_API, &api))
		fail("UFFDIO_API %s 0x%llx: %s", mname[mode],
		     (unsigned long long)api.features, strerror(errno));
	/* A second UFFDIO_API on the same file is refused. */
	if (ioctl(fd, UFFDIO_API, &api) == 0 || errno != EINVAL)
		fail("a second UFFDIO_API: want EINVAL, got %s", strerror(errno));
	return fd;
}

static int wp_range(int fd, void *a, size_t len, bool on)
{
	struct uffdio_writeprotect wp = {
		.range = { (unsigned long)a, len },
		.mode = on ? UFFDIO_WRITEPROTECT_MODE_WP : 0,
	};

	return ioctl(fd, UFFDIO_WRITEPROTECT, &wp) ? errno : 0;
}

/* Serve the sync userfaultfd: check each fault against the model. */
static void *handler(void *arg)
{
	static char zero[HPS] __attribute__((aligned(4096)));
	struct pollfd pfd;
	struct uffd_msg m;
	struct region *r;
	size_t i;
	int fd;

	(void)arg;
	for (;;) {
		__atomic_add_fetch(&hgen, 1, __ATOMIC_SEQ_CST);
		fd = uffd[M_SYNC];
		pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
		if (poll(&pfd, 1, 10) <= 0 || read(fd, &m, sizeof(m)) != sizeof(m))
			continue;
		if (m.event != UFFD_EVENT_PAGEFAULT)
			fail("sync uffd: unexpected event %u", m.event);
		pthread_mutex_lock(&mu);
		r = find(m.arg.pagefault.address, &i);
		if (!r)
			fail("a fault at 0x%llx, outside every region",
			     (unsigned long long)m.arg.pagefault.address);
		void *ua = r->addr + i * r->us;
		int err;

		if (m.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP) {
			if (!(r->regmode & UFFDIO_REGISTER_MODE_WP))
				fail("%s: wp fault in a range not registered for WP", nm(r));
			if (r->u[i].wp == NO && !racing)
				fail("%s unit %zu: a write-protect fault on an unprotected page",
				     nm(r), i);
			err = wp_range(fd, ua, r->us, false);
			if (err)
				fail("%s unit %zu: unprotect in the handler: %s",
				     nm(r), i, strerror(err));
			r->u[i].wp = NO;
			r->u[i].faults++;
			nfaults++;
		} else if (m.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_MINOR) {
			/* A protected page is mapped protected, as a snapshot does. */
			struct uffdio_continue c = {
				.range = { (unsigned long)ua, r->us },
				.mode = r->u[i].wp != NO ? UFFDIO_CONTINUE_MODE_WP : 0,
			};

			if (!(r->regmode & UFFDIO_REGISTER_MODE_MINOR))
				fail("%s: minor fault in a range not registered MINOR", nm(r));
			if (r->u[i].cached == NO)
				fail("%s unit %zu: a minor fault on a page not in the cache",
				     nm(r), i);
			if (ioctl(fd, UFFDIO_CONTINUE, &c) && errno != EEXIST)
				fail("%s unit %zu: UFFDIO_CONTINUE: %s",
				     nm(r), i, strerror(errno));
			r->u[i].mapped = YES;
			if (c.mode)
				r->u[i].wp = YES;
		} else {
			if (!(r->regmode & UFFDIO_REGISTER_MODE_MISSING))
				fail("%s: missing fault in a range not registered MISSING",
				     nm(r));
			/* Content the model holds can never be missing. */
			if (r->u[i].v)
				fail("%s unit %zu: a missing fault on a page holding %" PRIu64,
				     nm(r), i, r->u[i].v);
			/*
			 * As a snapshot does: a protected page is filled
			 * protected (UFFDIO_ZEROPAGE has no MODE_WP).
			 */
			if (is_huge(r) || r->u[i].wp != NO) {
				struct uffdio_copy c = {
					(unsigned long)ua, (unsigned long)zero, r->us,
					r->u[i].wp != NO ? UFFDIO_COPY_MODE_WP : 0, 0
				};
				err = ioctl(fd, UFFDIO_COPY, &c) ? errno : 0;
				if (!err && r->u[i].wp != NO)
					r->u[i].wp = YES;
			} else {
				struct uffdio_zeropage z = { .range = { (unsigned long)ua, r->us } };
				err = ioctl(fd, UFFDIO_ZEROPAGE, &z) ? errno : 0;
			}
			if (err && err != EEXIST)
				fail("%s unit %zu: resolving a missing fault: %s",
				     nm(r), i, strerror(err));
			r->u[i].mapped = YES;
			r->u[i].cached = YES;
		}
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

/* ---- content ---- */

static void put(struct region *r, size_t i, uint64_t v)
{
	int k;

	for (k = 0; k < NWORDS; k++)
		*(volatile uint64_t *)wptr(r, i, k) = word(v, k);
}

/* The first word of unit i that differs from the model (-1: none), in *got */
static int bad_word(struct region *r, size_t i, uint64_t *got)
{
	int k;

	for (k = 0; k < NWORDS; k++) {
		*got = *(volatile uint64_t *)wptr(r, i, k);
		if (*got != word(r->u[i].v, k))
			return k;
	}
	return -1;
}

static void check_unit(struct region *r, size_t i, const char *when)
{
	uint64_t got;
	int k = bad_word(r, i, &got);

	if (k >= 0)
		fail("%s %s unit %zu word %d (%s): 0x%" PRIx64 ", the model holds %" PRIu64,
		     nm(r), mname[r->mode], i, k, when, got, r->u[i].v);
}

/* The model of a write to unit i, by the caller with mu held or by the kernel */
static void wrote(struct region *r, size_t i)
{
	touch(r, i);
	r->u[i].wp = NO;
	r->u[i].mapped = r->u[i].cached = YES;
	if (wpreg(r))
		r->u[i].written = 1;
}

/*
 * Write unit i as the controller: a write to a protected page of a sync
 * range must raise a write-protect fault, and one to a page the model knows
 * unprotected must not (the handler checks that).
 */
static void write_unit(struct region *r, size_t i)
{
	uint32_t before = r->u[i].faults;
	bool want = r->mode == M_SYNC && r->u[i].wp == YES;
	uint64_t v = vctr++;

	put(r, i, v);
	pthread_mutex_lock(&mu);
	if (want && r->u[i].faults == before)
		fail("%s unit %zu: a write to a protected page raised no fault",
		     nm(r), i);
	r->u[i].v = v;
	wrote(r, i);
	pthread_mutex_unlock(&mu);
}

/* The model after a read of unit i: it is mapped, and in the page cache */
static void mark_read(struct region *r, size_t i)
{
	touch(r, i);
	r->u[i].mapped = r->u[i].cached = YES;
}

static void read_unit(struct region *r, size_t i)
{
	check_unit(r, i, "read");
	mark_read(r, i);
}

/* ---- PAGEMAP_SCAN ---- */

static long scan(struct pm_scan_arg *a)
{
	return ioctl(pagemap_fd, PAGEMAP_SCAN, a);
}

static void scan_arg(struct pm_scan_arg *a, void *s, void *e, uint64_t flags)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->start = (unsigned long)s;
	a->end = (unsigned long)e;
	a->flags = flags;
	a->vec = (unsigned long)vec;
	a->vec_len = vec_max;
	a->return_mask = ALL_CATS;
}

/*
 * Whether a WP_MATCHING scan a may have stopped before a huge page that its
 * range cuts: the kernel protects a hugetlb page only whole, and ends the
 * scan before one that it cannot (see pagemap.rst). Such a cut is at start
 * or at end, when they are not huge page aligned.
 */
static bool huge_cut(struct pm_scan_arg *a)
{
	return (a->flags & PM_SCAN_WP_MATCHING) &&
	       ((a->walk_end == a->start && a->start % HPS) ||
		(a->walk_end == a->end / HPS * HPS && a->end % HPS));
}

/*
 * What is wrong with the answer n of a scan a into v, or NULL: at most
 * vec_len regions, in order, page-aligned, within [start, walk_end), of
 * categories in return_mask (exactly @cats when not 0) that pass the
 * filters, where they show; walk_end short of end only when the vector is full
 * (or max_pages was set, or a huge page is cut). The caller checks walk_end
 * against start and end.
 */
static const char *bad_answer(struct pm_scan_arg *a, struct page_region *v, long n,
			      uint64_t cats)
{
	static __thread char why[160];
	unsigned long p = a->start;
	/* Filters that a region's categories show, when they show all of them */
	bool shown = !a->category_inverted &&
		     !((a->category_mask | a->category_anyof_mask) & ~a->return_mask);
	uint64_t all = shown ? a->category_mask : 0, any = shown ? a->category_anyof_mask : 0;
	long j;

	if (n > (long)a->vec_len ||
	    (n < (long)a->vec_len && !a->max_pages && a->walk_end != a->end &&
	     !huge_cut(a)))
		return "the number of regions or walk_end";
	for (j = 0; j < n; p = v[j++].end) {
		if (v[j].start >= p && v[j].end > v[j].start && v[j].end <= a->walk_end &&
		    !(v[j].start % PS) && !(v[j].end % PS) &&
		    !(v[j].categories & ~a->return_mask) &&
		    (!cats || v[j].categories == cats) &&
		    (v[j].categories & all) == all && (!any || (v[j].categories & any)))
			continue;
		snprintf(why, sizeof(why), "region %ld [0x%llx, 0x%llx) categories 0x%llx", j,
			 (unsigned long long)v[j].start, (unsigned long long)v[j].end,
			 (unsigned long long)v[j].categories);
		return why;
	}
	return NULL;
}

/* Categories of every base page of r, from an unfiltered scan. */
static void categories(struct region *r, uint8_t *cats)
{
	size_t np = r->n * r->us / PS, j;
	struct pm_scan_arg a;
	unsigned long p;
	long n, k;

	scan_arg(&a, r->addr, r->addr + np * PS, 0);
	n = scan(&a);
	if (n < 0)
		fail("PAGEMAP_SCAN of %s: %s", nm(r), strerror(errno));
	if (a.walk_end != a.end)
		fail("PAGEMAP_SCAN of %s: walk_end 0x%llx short of 0x%llx",
		     nm(r), (unsigned long long)a.walk_end,
		     (unsigned long long)a.end);
	memset(cats, 0, np);
	p = a.start;
	for (k = 0; k < n; k++) {
		if (vec[k].start < p || vec[k].end <= vec[k].start || vec[k].end > a.end ||
		    (vec[k].start - a.start) % PS || (vec[k].end - a.start) % PS)
			fail("PAGEMAP_SCAN of %s: a bad region [0x%llx, 0x%llx)", nm(r),
			     (unsigned long long)vec[k].start, (unsigned long long)vec[k].end);
		if (k && vec[k].start == vec[k - 1].end &&
		    vec[k].categories == vec[k - 1].categories)
			fail("PAGEMAP_SCAN of %s: adjacent regions of the same categories",
			     nm(r));
		if (vec[k].categories & ~ALL_CATS)
			fail("PAGEMAP_SCAN: unknown categories 0x%llx",
			     (unsigned long long)vec[k].categories);
		for (j = (vec[k].start - a.start) / PS; j < (vec[k].end - a.start) / PS; j++)
			cats[j] = vec[k].categories;
		p = vec[k].end;
	}
}

/*
 * The model against the memory, PAGEMAP_SCAN and pagemap, for every unit of
 * r. Units the model knows unmapped are not read (that would map them), but
 * their protection and written state are checked all the same.
 */
static void check_region(struct region *r)
{
	size_t np = r->n * r->us / PS, per = r->us / PS, i, j;
	static uint8_t *cats, *was_read;
	static uint64_t *pm;
	static size_t cap;

	nchecks++;
	if (np > cap) {
		cap = np;
		cats = realloc(cats, cap);
		pm = realloc(pm, cap * 8);
		was_read = realloc(was_read, cap);
	}
	for (i = 0; i < r->n; i++) {
		was_read[i] = r->u[i].mapped != NO;
		if (was_read[i])
			read_unit(r, i);
	}
	categories(r, cats);
	if (pread(pagemap_fd, pm, np * 8, (unsigned long)r->addr / PS * 8) != (ssize_t)np * 8)
		fail("pagemap read: %s", strerror(errno));
	for (i = 0; i < r->n; i++) {
		struct unit *u = &r->u[i];

		for (j = i * per; j < (i + 1) * per; j++) {
			uint8_t c = cats[j];
			bool w = c & PAGE_IS_WRITTEN, bit = pm[j] & PM_UFFD_WP;
			bool there = c & (PAGE_IS_PRESENT | PAGE_IS_SWAPPED);

			if (was_read[i] && !there)
				fail("%s unit %zu: neither present nor swapped after a read (0x%x)",
				     nm(r), i, c);
			/*
			 * The two interfaces agree, except that upstream's
			 * PAGEMAP_SCAN calls a marker swapped (this series: neither).
			 */
			if (!!(pm[j] & PM_PRESENT) != !!(c & PAGE_IS_PRESENT) ||
			    (!!(pm[j] & PM_SWAP) != !!(c & PAGE_IS_SWAPPED) &&
			     !(bit && !(pm[j] & (PM_PRESENT | PM_SWAP)))))
				fail("%s unit %zu: pagemap 0x%llx, PAGEMAP_SCAN 0x%x", nm(r),
				     i, (unsigned long long)pm[j], c);
			if (r->type == T_ANON && (c & PAGE_IS_FILE))
				fail("anon unit %zu: reported FILE", i);
			if (is_huge(r) && (c & PAGE_IS_PRESENT) && !(c & PAGE_IS_HUGE))
				fail("%s unit %zu: present but not HUGE", nm(r), i);
			if ((c & PAGE_IS_PFNZERO) && u->v)
				fail("%s unit %zu: the zero page, but the model holds %" PRIu64,
				     nm(r), i, u->v);
			if (!wpreg(r)) {
				if (there && !w)
					fail("%s unit %zu: not WRITTEN in a range not registered for WP",
					     nm(r), i);
				if (bit)
					fail("%s unit %zu: pagemap bit 57 in a range not registered for WP",
					     nm(r), i);
				continue;
			}
			if (u->written && !w)
				fail("%s %s unit %zu: written since its reset but not reported WRITTEN"
				     " (0x%x, pagemap 0x%llx, mapped %d)", nm(r), mname[r->mode], i,
				     c, (unsigned long long)pm[j], u->mapped);
			if (u->wp == YES && w)
				fail("%s %s unit %zu: protected, but reported WRITTEN"
				     " (0x%x, pagemap 0x%llx, mapped %d cached %d)", nm(r),
				     mname[r->mode], i, c, (unsigned long long)pm[j], u->mapped,
				     u->cached);
			/* Only a hugetlb hole is neither protected nor written. */
			if (bit == w && (there || bit || !is_huge(r)))
				fail("%s %s unit %zu: pagemap bit 57 %s, PAGEMAP_SCAN %sWRITTEN",
				     nm(r), mname[r->mode], i,
				     bit ? "set" : "clear", w ? "" : "not ");
		}
	}
}

/*
 * A scan with random filters, max_pages and vec_len must report exactly
 * the pages of the unfiltered scan that pass the filters, in order, cut
 * where it says it stopped.
 */
static void op_scan_filtered(struct region *r)
{
	size_t np = r->n * r->us / PS, s = rn(np), e = s + 1 + rn(np - s);
	uint64_t inv = rnd() & ALL_CATS & -(rn(2)), req = rnd() & ALL_CATS & -(rn(3) == 0);
	uint64_t any = rnd() & ALL_CATS & -(rn(2)), ret = rnd() & ALL_CATS;
	uint64_t maxp = rn(3) ? 0 : 1 + rn(np), vlen = rn(3) ? vec_max : 1 + rn(4);
	uint8_t *cats = malloc(np);
	struct pm_scan_arg a;
	unsigned long p;
	uint64_t pages = 0;
	long n, k;

	if (!ret)
		ret = ALL_CATS;
	note("scan %s [%zu,%zu) inv %llx req %llx any %llx ret %llx max %llu vlen %llu",
	     nm(r), s, e, (unsigned long long)inv, (unsigned long long)req,
	     (unsigned long long)any, (unsigned long long)ret, (unsigned long long)maxp,
	     (unsigned long long)vlen);
	categories(r, cats);
	scan_arg(&a, r->addr + s * PS, r->addr + e * PS, 0);
	a.category_inverted = inv;
	a.category_mask = req;
	a.category_anyof_mask = any;
	a.return_mask = ret;
	a.max_pages = maxp;
	a.vec_len = vlen;
	n = scan(&a);
	if (n < 0)
		fail("filtered PAGEMAP_SCAN: %s", strerror(errno));
	if ((uint64_t)n > vlen)
		fail("filtered PAGEMAP_SCAN: %ld regions for vec_len %llu", n,
		     (unsigned long long)vlen);
	if (a.walk_end < a.start || a.walk_end > a.end || a.walk_end % PS)
		fail("filtered PAGEMAP_SCAN: walk_end 0x%llx", (unsigned long long)a.walk_end);
	p = a.start;
	for (k = 0; k <= n; k++) {
		unsigned long lim = k < n ? vec[k].start : a.walk_end;

		/* The pages skipped before this region must not match. */
		for (; p < lim; p += PS) {
			uint8_t c = cats[(p - (unsigned long)r->addr) / PS] ^ inv;

			if ((c & req) == req && (!any || (c & any)))
				fail("filtered PAGEMAP_SCAN: page 0x%lx (0x%x) matches but was not reported",
				     p, c ^ (uint8_t)inv);
		}
		if (k == n)
			break;
		if (vec[k].start < p || vec[k].end > a.walk_end || vec[k].end <= vec[k].start)
			fail("filtered PAGEMAP_SCAN: region [0x%llx, 0x%llx) out of order",
			     (unsigned long long)vec[k].start, (unsigned long long)vec[k].end);
		for (; p < vec[k].end; p += PS) {
			uint8_t c = cats[(p - (unsigned long)r->addr) / PS];

			if (vec[k].categories != (c & ret))
				fail("filtered PAGEMAP_SCAN: page 0x%lx reported 0x%llx, is 0x%x",
				     p, (unsigned long long)vec[k].categories, c);
			c ^= inv;
			if ((c & req) != req || (any && !(c & any)))
				fail("filtered PAGEMAP_SCAN: page 0x%lx (0x%x) reported but does not match",
				     p, c ^ (uint8_t)inv);
			pages++;
		}
	}
	if (maxp && pages > maxp)
		fail("filtered PAGEMAP_SCAN: %llu pages for max_pages %llu",
		     (unsigned long long)pages, (unsigned long long)maxp);
	/* It may stop early only for max_pages or a full vector. */
	if (a.walk_end != a.end && !(maxp && pages == maxp) && (uint64_t)n != vlen)
		fail("filtered PAGEMAP_SCAN: stopped at 0x%llx of 0x%llx for no reason",
		     (unsigned long long)a.walk_end, (unsigned long long)a.end);
	free(cats);
}

/* Mark in @rep the units of @r that the @n regions in @v cover */
static void mark_reported(struct region *r, struct page_region *v, long n, bool *rep)
{
	unsigned long p;
	long k;

	for (k = 0; k < n; k++)
		for (p = v[k].start; p < v[k].end; p += PS)
			rep[(p - (unsigned long)r->addr) / r->us] = true;
}

/*
 * Reset the written state of a part of an async range the way Wine and
 * CRIU do: PAGEMAP_SCAN with WP_MATCHING for WRITTEN, sometimes capped.
 * Every unit the model says was written must be among those reported, and
 * what was reported is protected afterwards.
 */
static void op_scan_reset(struct region *r)
{
	size_t s = rn(r->n), e = s + 1 + rn(r->n - s), i;
	uint64_t maxp = rn(3) ? 0 : 1 + rn((e - s) * r->us / PS);
	uint64_t flags = PM_SCAN_WP_MATCHING | (rn(2) ? PM_SCAN_CHECK_WPASYNC : 0);
	struct pm_scan_arg a;
	long n;
	bool *rep = calloc(r->n, 1);

	note("scan-reset %s %s [%zu,%zu) max %llu flags %llx", nm(r),
	     mname[r->mode], s, e, (unsigned long long)maxp, (unsigned long long)flags);
	scan_arg(&a, r->addr + s * r->us, r->addr + e * r->us, flags);
	a.category_mask = PAGE_IS_WRITTEN;
	a.return_mask = PAGE_IS_WRITTEN;
	a.max_pages = maxp;
	n = scan(&a);
	if (r->mode != M_ASYNC) {
		int want = (flags & PM_SCAN_CHECK_WPASYNC) ? EPERM : 0;

		if ((n < 0 ? errno : 0) != want)
			fail("WP_MATCHING scan of a %s range: want %s, got %s", mname[r->mode],
			     strerror(want), n < 0 ? strerror(errno) : "success");
		if (n > 0 && !want)
			fail("WP_MATCHING scan of a %s range reported %ld regions", mname[r->mode], n);
		free(rep);
		return;
	}
	if (n < 0)
		fail("WP_MATCHING scan: %s", strerror(errno));
	mark_reported(r, vec, n, rep);
	for (i = s; i < e && r->addr + i * r->us < (char *)a.walk_end; i++) {
		if (r->u[i].written && !rep[i])
			fail("%s async unit %zu: written, but WP_MATCHING did not report it",
			     nm(r), i);
		if (rep[i]) {
			if (r->u[i].wp == YES)
				nfalse_pos++;
			r->u[i].wp = YES;
			r->u[i].written = 0;
		}
	}
	free(rep);
}

/* ---- regions ---- */

/*
 * A WP_MATCHING scan of an async range whose vector, and sometimes its
 * argument, lie in a unit of the same region, between the unit's pattern
 * words. The kernel writes its results after the walk, so the unit ends
 * WRITTEN whether or not the walk protected it, and its content is intact.
 */
#define INTO_VEC	8	/* offsets in the unit, clear of the words */
#define INTO_ARG	520
#define INTO_LEN	((INTO_ARG - INTO_VEC) / sizeof(struct page_region))

static void op_scan_into(struct region *r)
{
	size_t k = rn(r->n), s = rn(r->n), e = s + 1 + rn(r->n - s), i;
	char *unit = r->addr + k * r->us;
	struct page_region *v = (void *)(unit + INTO_VEC);
	struct pm_scan_arg a, *ap = rn(2) ? (void *)(unit + INTO_ARG) : &a;
	size_t len = 1 + rn(INTO_LEN);
	const char *why;
	bool *rep;
	long n, j;

	if (r->mode != M_ASYNC) {
		op_scan_reset(r);
		return;
	}
	note("scan-into %s [%zu,%zu), %zu regions at unit %zu, argument %s", nm(r), s, e,
	     len, k, ap == &a ? "on the stack" : "there too");
	scan_arg(&a, r->addr + s * r->us, r->addr + e * r->us, PM_SCAN_WP_MATCHING);
	a.category_mask = a.return_mask = PAGE_IS_WRITTEN;
	a.vec = (unsigned long)v;
	a.vec_len = len;
	/* A canary after the vector, where the unit has room for one */
	if (len < INTO_LEN)
		memset(&v[len], 0xa5, sizeof(*v));
	if (ap != &a)
		memcpy(ap, &a, sizeof(a));
	if (len < INTO_LEN || ap != &a) {
		pthread_mutex_lock(&mu);
		wrote(r, k);
		pthread_mutex_unlock(&mu);
	}
	n = scan(ap);
	if (n < 0)
		fail("scan-into: %s", strerror(errno));
	if (ap != &a) {
		a.walk_end = ap->walk_end;
		if (memcmp(ap, &a, sizeof(a)))
			fail("scan-into: the kernel changed more of its argument than walk_end");
	}
	if (len < INTO_LEN)
		for (j = 0; j < (long)sizeof(*v); j++)
			if (((unsigned char *)&v[len])[j] != 0xa5)
				fail("scan-into: %ld regions written past vec_len %zu", n, len);
	why = bad_answer(&a, v, n, PAGE_IS_WRITTEN);
	if (why || a.walk_end < a.start || a.walk_end > a.end || a.walk_end % PS)
		fail("scan-into: %s; %ld of %zu regions, walk_end 0x%llx of [0x%llx, 0x%llx)",
		     why ? why : "walk_end", n, len, (unsigned long long)a.walk_end,
		     (unsigned long long)a.start, (unsigned long long)a.end);
	rep = calloc(r->n, 1);
	mark_reported(r, v, n, rep);
	pthread_mutex_lock(&mu);
	for (i = s; i < e && r->addr + i * r->us < (char *)a.walk_end; i++) {
		if (r->u[i].written && !rep[i])
			fail("%s async unit %zu: written, but WP_MATCHING did not report it",
			     nm(r), i);
		if (rep[i]) {
			r->u[i].wp = YES;
			r->u[i].written = 0;
		}
	}
	/* The results (and walk_end) were written after the walk */
	if (n || ap != &a)
		wrote(r, k);
	pthread_mutex_unlock(&mu);
	free(rep);
}

/*
 * Map len bytes at an address aligned to align, between two PROT_NONE guard
 * pages: an anonymous region must never merge with a VMA of the program's
 * own (a thread's stack, malloc's memory), whose huge page faults or
 * khugepaged would then map the region's units behind the model's back.
 */
static char *map_at(size_t len, size_t align, int prot, int flags, int fd)
{
	size_t all = len + align + 2 * PS;
	char *p = mmap(NULL, all, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q;

	if (p == MAP_FAILED)
		return NULL;
	q = (char *)(((unsigned long)p + PS + align - 1) & ~(align - 1));
	if (mmap(q, len, prot, flags | MAP_FIXED, fd, 0) == MAP_FAILED) {
		munmap(p, all);
		return NULL;
	}
	if (q - PS > p)
		munmap(p, q - PS - p);
	munmap(q + len + PS, p + all - (q + len + PS));
	return q;
}

/* Unmap what map_at() mapped, guard pages too */
static void unmap_at(char *q, size_t len)
{
	if (munmap(q - PS, len + 2 * PS))
		fail("munmap: %s", strerror(errno));
}

static int reg_errno(struct region *r, uint64_t mode, int m)
{
	if (r->type == T_FILE && (m != M_ASYNC || mode != UFFDIO_REGISTER_MODE_WP))
		return EINVAL;
	if ((mode & UFFDIO_REGISTER_MODE_MINOR) && r->type != T_SHMEM && !is_huge(r))
		return EINVAL;
	return 0;
}

static void do_register(struct region *r, int m, uint64_t mode)
{
	struct uffdio_register rg = {
		.range = { (unsigned long)r->addr, r->n * r->us }, .mode = mode,
	};
	int want = reg_errno(r, mode, m), got;
	size_t i;

	note("register %s %s mode %llx", nm(r), mname[m], (unsigned long long)mode);
	got = ioctl(uffd[m], UFFDIO_REGISTER, &rg) ? errno : 0;
	if (got != want)
		fail("UFFDIO_REGISTER %s %s mode %llx: want %s, got %s", nm(r),
		     mname[m], (unsigned long long)mode, strerror(want), strerror(got));
	if (got)
		return;
	r->mode = m;
	r->regmode = mode;
	for (i = 0; i < r->n; i++) {
		r->u[i].wp = NO;
		r->u[i].written = 0;
	}
}

static void drop_registration(struct region *r)
{
	size_t i;

	r->mode = M_NONE;
	r->regmode = 0;
	for (i = 0; i < r->n; i++) {
		r->u[i].wp = NO;
		r->u[i].written = 0;
	}
}

static void op_map(struct region *r)
{
	int type = rn(NTYPES), flags = MAP_SHARED, fd = -1;
	size_t n, us = PS, align = PS;
	static int fileno_;
	char path[64];

	if ((type == T_HUGE || type == T_HUGE_PRIV) && !have_huge)
		type = T_ANON;
	if (type == T_FILE && !have_file)
		type = T_SHMEM;
	if (type == T_THP && !have_thp)
		type = T_ANON;
	switch (type) {
	case T_ANON:
		n = 1 + rn(rn(4) ? 64 : 1024);
		flags = MAP_PRIVATE | MAP_ANONYMOUS;
		break;
	case T_THP:
		n = (1 + rn(2)) * (HPS / PS);
		align = HPS;
		flags = MAP_PRIVATE | MAP_ANONYMOUS;
		break;
	case T_SHMEM:
		n = 1 + rn(rn(4) ? 64 : 512);
		fd = memfd_create("fuzz-shmem", 0);
		break;
	case T_HUGE:
		us = align = HPS;
		n = 1 + rn(3);
		fd = memfd_create("fuzz-huge", MFD_HUGETLB);
		break;
	case T_HUGE_PRIV:
		us = align = HPS;
		n = 1 + rn(3);
		flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB;
		break;
	default:
		n = 1 + rn(128);
		snprintf(path, sizeof(path), "/mnt/ext4/uffd-fuzz-%d-%d", getpid(), fileno_++);
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0)
			unlink(path);
		break;
	}
	/*
	 * Whole PMD spans of base pages, which protecting while they are
	 * empty turns into PMD markers
	 */
	if ((type == T_ANON || type == T_SHMEM || type == T_FILE) && !rn(4)) {
		n = (1 + rn(2)) * (HPS / PS);
		align = HPS;
	}
	if ((type == T_SHMEM || type == T_HUGE || type == T_FILE) &&
	    (fd < 0 || ftruncate(fd, n * us)))
		fail("%s: a file of %zu units: %s", tname[type], n, strerror(errno));
	r->addr = map_at(n * us, align, PROT_READ | PROT_WRITE, flags, fd);
	if (!r->addr)
		fail("mmap %s of %zu units: %s", tname[type], n, strerror(errno));
	if (type == T_THP)
		madvise(r->addr, n * us, MADV_HUGEPAGE);
	r->used = true;
	r->type = type;
	r->fd = fd;
	r->n = n;
	r->us = us;
	r->mode = M_NONE;
	r->regmode = 0;
	r->u = calloc(n, sizeof(*r->u));
	note("map %s %zu units at %p", nm(r), n, r->addr);
	if (rn(4)) {
		int m = rn(3) ? M_ASYNC : M_SYNC;
		uint64_t mode = UFFDIO_REGISTER_MODE_WP;

		if (m == M_SYNC && rn(3) == 0)
			mode |= UFFDIO_REGISTER_MODE_MISSING;
		if (m == M_SYNC && (type == T_SHMEM || type == T_HUGE) && rn(3) == 0)
			mode = UFFDIO_REGISTER_MODE_MINOR | (rn(2) ? UFFDIO_REGISTER_MODE_WP : 0);
		if (type == T_FILE)
			m = M_ASYNC, mode = UFFDIO_REGISTER_MODE_WP;
		do_register(r, m, mode);
	}
}

static void op_unmap(struct region *r)
{
	note("unmap %s", nm(r));
	unmap_at(r->addr, r->n * r->us);
	if (r->fd >= 0)
		close(r->fd);
	free(r->u);
	memset(r, 0, sizeof(*r));
}

/* ---- operations on a part of a region ---- */

static void pick(struct region *r, size_t *s, size_t *e)
{
	*s = rn(r->n);
	*e = *s + 1 + rn(rn(2) ? 8 : r->n - *s);
	if (*e > r->n)
		*e = r->n;
}

static void op_write(struct region *r)
{
	size_t s, e, i;

	pick(r, &s, &e);
	note("write %s %s [%zu,%zu)", nm(r), mname[r->mode], s, e);
	for (i = s; i < e; i++)
		if (rn(4))
			write_unit(r, i);
}

/* Read a part of r, holes included: that maps them. */
static void op_read(struct region *r)
{
	size_t s, e, i;

	pick(r, &s, &e);
	note("read %s %s [%zu,%zu)", nm(r), mname[r->mode], s, e);
	for (i = s; i < e; i++)
		read_unit(r, i);
}

static void op_protect(struct region *r)
{
	size_t s, e, i;
	bool on = rn(4) != 0;
	int want, got;

	pick(r, &s, &e);
	note("writeprotect %s %s [%zu,%zu) %s", nm(r), mname[r->mode], s, e,
	     on ? "on" : "off");
	want = wpreg(r) ? 0 : ENOENT;
	got = wp_range(ufd(r), r->addr + s * r->us,
		       (e - s) * r->us, on);
	if (got != want)
		fail("UFFDIO_WRITEPROTECT %s %s %s: want %s, got %s", nm(r),
		     mname[r->mode], on ? "on" : "off", strerror(want), strerror(got));
	if (got)
		return;
	for (i = s; i < e; i++) {
		r->u[i].wp = on ? YES : NO;
		if (on)
			r->u[i].written = 0;
	}
}

static void op_madvise(struct region *r, int advice)
{
	size_t s, e, i;
	int ret;

	pick(r, &s, &e);
	note("madvise %s %s [%zu,%zu) %s", nm(r), mname[r->mode], s, e,
	     advice == MADV_DONTNEED ? "DONTNEED" : "PAGEOUT");
	ret = madvise(r->addr + s * r->us, (e - s) * r->us, advice);
	if (ret && !(advice == MADV_PAGEOUT && errno == EINVAL))
		fail("madvise: %s", strerror(errno));
	if (ret || advice == MADV_PAGEOUT)
		return;
	for (i = s; i < e; i++) {
		struct unit *u = &r->u[i];

		u->mapped = NO;
		/* A hugetlb hole is not written, marker or not. */
		if (is_huge(r))
			u->written = 0;
		if (is_file(r))
			continue;	/* the page cache keeps content and marker */
		u->v = 0;
		u->cached = NO;
		if (r->type == T_HUGE_PRIV)
			continue;	/* a marker keeps the protection */
		/*
		 * Anonymous memory: an async context drops the protection of
		 * a page and of a marker, and the empty entry is written; a
		 * sync WP_UNPOPULATED one keeps it here (upstream drops it).
		 */
		if (r->mode == M_ASYNC || u->wp == NO) {
			u->wp = NO;
			u->written = wpreg(r);
		} else {
			u->wp = UNK;
			u->written = 0;
		}
	}
}

/*
 * The model of units [s, e) of a file's region whose pages left the page
 * cache (a hole punch, a truncation): hugetlbfs drops its markers too only
 * when @markers_go; ext4's protection is then unknown.
 */
static void file_pages_gone(struct region *r, size_t s, size_t e, bool markers_go)
{
	size_t i;

	for (i = s; i < e; i++) {
		struct unit *u = &r->u[i];

		u->v = 0;
		u->mapped = u->cached = NO;
		if (r->type == T_FILE && u->wp != NO)
			u->wp = UNK;
		if (is_huge(r) && markers_go)
			u->wp = NO;
		/* An unprotected hugetlb hole is not reported WRITTEN. */
		if (is_huge(r) && u->wp == NO)
			u->written = 0;
	}
}

static void op_punch(struct region *r)
{
	size_t s, e;

	pick(r, &s, &e);
	note("punch %s %s [%zu,%zu)", nm(r), mname[r->mode], s, e);
	if (fallocate(r->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, s * r->us,
		      (e - s) * r->us))
		fail("punch %s: %s", nm(r), strerror(errno));
	file_pages_gone(r, s, e, false);
}

/*
 * Truncate r's file to unit s and extend it back: the tail's pages go, as
 * with a hole punch, and so do hugetlbfs's markers (shmem and ext4 keep
 * theirs, as on a punch). hugetlbfs refuses a size that is not huge-aligned.
 */
static void op_truncate(struct region *r)
{
	size_t s = rn(r->n);

	note("truncate %s %s to %zu of %zu", nm(r), mname[r->mode], s, r->n);
	if (r->type == T_HUGE && !rn(4) &&
	    (!ftruncate(r->fd, s * r->us + PS * (1 + rn(HPS / PS - 1))) || errno != EINVAL))
		fail("ftruncate of hugetlbfs to a size not huge-aligned: want EINVAL, got %s",
		     errno == EINVAL ? "success" : strerror(errno));
	if (ftruncate(r->fd, s * r->us) || ftruncate(r->fd, r->n * r->us))
		fail("truncate %s: %s", nm(r), strerror(errno));
	file_pages_gone(r, s, r->n, true);
}

static void op_mprotect(struct region *r)
{
	size_t s, e, i;

	pick(r, &s, &e);
	note("mprotect %s %s [%zu,%zu) ro-rw", nm(r), mname[r->mode], s, e);
	if (mprotect(r->addr + s * r->us, (e - s) * r->us, PROT_READ))
		fail("mprotect RO: %s", strerror(errno));
	for (i = s; i < e; i++)
		if (rn(2))
			read_unit(r, i);
	if (mprotect(r->addr + s * r->us, (e - s) * r->us, PROT_READ | PROT_WRITE))
		fail("mprotect RW: %s", strerror(errno));
	/* hugetlb VMAs do not merge again, nor always others upstream */
	if (s || e < r->n)
		r->split = true;
}

static void op_unregister(struct region *r)
{
	struct uffdio_range rg = { (unsigned long)r->addr, r->n * r->us };

	note("unregister %s %s", nm(r), mname[r->mode]);
	if (ioctl(uffd[r->mode == M_NONE ? M_ASYNC : r->mode], UFFDIO_UNREGISTER, &rg))
		fail("UFFDIO_UNREGISTER: %s", strerror(errno));
	drop_registration(r);
}

static void op_reregister(struct region *r)
{
	static const uint64_t modes[] = {
		UFFDIO_REGISTER_MODE_WP,
		UFFDIO_REGISTER_MODE_WP | UFFDIO_REGISTER_MODE_MISSING,
		UFFDIO_REGISTER_MODE_MINOR,
		UFFDIO_REGISTER_MODE_MINOR | UFFDIO_REGISTER_MODE_WP,
	};
	int m = rn(2) ? M_ASYNC : M_SYNC;
	uint64_t mode = m == M_ASYNC ? UFFDIO_REGISTER_MODE_WP : modes[rn(4)];

	if (r->mode != M_NONE)
		op_unregister(r);
	do_register(r, m, mode);
}

/* UFFDIO_COPY or ZEROPAGE into a unit the model says is not mapped. */
static void op_fill(struct region *r)
{
	static char src[HPS] __attribute__((aligned(4096)));
	size_t i = rn(r->n);
	struct unit *u = &r->u[i];
	bool zero = !is_huge(r) && rn(2), wp = !zero && rn(2);
	uint64_t v = zero ? 0 : vctr++;
	int want = 0, got, k;

	note("%s %s %s unit %zu%s", zero ? "zeropage" : "copy", nm(r),
	     mname[r->mode], i, wp ? " wp" : "");
	if (r->mode == M_NONE)
		want = ENOENT;
	else if (r->type == T_FILE || (wp && !wpreg(r)))
		want = EINVAL;
	else if (u->mapped != NO || (is_file(r) && u->cached != NO))
		want = EEXIST;
	for (k = 0; k < NWORDS; k++)
		*(uint64_t *)(src + woff(r->us, k)) = word(v, k);
	if (zero) {
		struct uffdio_zeropage z = { .range = { (unsigned long)r->addr + i * r->us, r->us } };

		got = ioctl(ufd(r), UFFDIO_ZEROPAGE, &z) ? errno : 0;
		/* An anonymous zero page does not replace a protecting marker. */
		if (want == 0 && got == EEXIST && u->wp != NO && !is_file(r))
			want = EEXIST;
	} else {
		struct uffdio_copy c = { (unsigned long)r->addr + i * r->us, (unsigned long)src,
					 r->us, wp ? UFFDIO_COPY_MODE_WP : 0, 0 };

		got = ioctl(ufd(r), UFFDIO_COPY, &c) ? errno : 0;
	}
	/* Where the model does not know whether the page is there, both do. */
	if (got != want && !((want == EEXIST || want == 0) && (got == EEXIST || got == 0) &&
			     (u->mapped == UNK || (is_file(r) && u->cached == UNK))))
		fail("%s %s unit %zu: want %s, got %s", zero ? "UFFDIO_ZEROPAGE" : "UFFDIO_COPY",
		     nm(r), i, strerror(want), strerror(got));
	if (got)
		return;
	u->v = v;
	u->mapped = u->cached = YES;
	u->wp = wp ? YES : NO;
	if (wp)
		u->written = 0;
	else if (wpreg(r))
		u->written = 1;
}

/* UFFDIO_CONTINUE of a unit that is in the page cache but not mapped. */
static void op_continue(struct region *r)
{
	size_t i = rn(r->n);
	struct unit *u = &r->u[i];
	bool wp = rn(2);
	struct uffdio_continue c = {
		.range = { (unsigned long)r->addr + i * r->us, r->us },
		.mode = wp ? UFFDIO_CONTINUE_MODE_WP : 0,
	};
	int want = 0, got;

	note("continue %s %s unit %zu%s", nm(r), mname[r->mode], i, wp ? " wp" : "");
	/* The page cache is looked up before the page table. */
	if (r->mode == M_NONE)
		want = ENOENT;
	else if ((!is_file(r) && !is_huge(r)) || r->type == T_FILE || (wp && !wpreg(r)))
		want = EINVAL;
	else if (r->type == T_HUGE_PRIV || u->cached == NO)
		want = EFAULT;
	else if (u->mapped == YES)
		want = EEXIST;
	got = ioctl(ufd(r), UFFDIO_CONTINUE, &c) ? errno : 0;
	if (got != want && !(u->mapped == UNK && (got == EEXIST || got == 0)) &&
	    !(u->cached == UNK && got == EFAULT))
		fail("UFFDIO_CONTINUE %s unit %zu: want %s, got %s", nm(r), i,
		     strerror(want), strerror(got));
	if (got)
		return;
	/* The page replaces a marker: protected only with MODE_WP */
	u->mapped = YES;
	u->wp = wp ? YES : NO;
	u->written = !wp && wpreg(r);
}

/*
 * fork(): the child sees the parent's content, has no uffd-wp bit anywhere
 * (its ranges are not registered) and writes its private memory freely; the
 * parent's content and protection are its own. The child checks a random
 * sample of each region: every unit of all six costs a second on a debug
 * kernel under emulation.
 */
/* A concurrent writer's range, which a forked child must not check */
static struct region *busy;
static size_t busy_s, busy_e;

static void op_fork(void)
{
	struct region *r;
	size_t i, j;
	pid_t pid;
	int st;

	note("fork");
	pid = fork();
	if (pid < 0)
		fail("fork: %s", strerror(errno));
	if (pid == 0) {
		alarm(60);
		/* The parent's file would show the parent's page tables. */
		close(pagemap_fd);
		pagemap_fd = open("/proc/self/pagemap", O_RDONLY);
		if (pagemap_fd < 0)
			fail("child: pagemap: %s", strerror(errno));
		for (r = reg; r < reg + NREG; r++) {
			size_t per = r->us / PS;
			uint64_t pm;

			if (!r->used)
				continue;
			for (i = 0; i < r->n; i++) {
				/*
				 * The child reads only what is mapped or cached:
				 * it must not fill the parent's page cache or
				 * its hugetlb pool behind the model's back.
				 */
				if ((is_file(r) && r->u[i].cached != YES) ||
				    (!is_file(r) && r->u[i].mapped != YES))
					continue;
				/* A concurrent writer's units were mid-write */
				if (r == busy && i >= busy_s && i < busy_e)
					continue;
				/* A sample of FORK_UNITS units a region, on average. */
				if (r->n > FORK_UNITS && rn(r->n) >= FORK_UNITS)
					continue;
				check_unit(r, i, "in the child");
				for (j = i * per; j < (i + 1) * per; j += 1 + rn(per)) {
					if (pread(pagemap_fd, &pm, 8,
						  ((unsigned long)r->addr / PS + j) * 8) != 8)
						fail("child: pagemap: %s", strerror(errno));
					if (pm & PM_UFFD_WP)
						fail("%s unit %zu: pagemap bit 57 in the child (0x%llx)",
						     nm(r), i, (unsigned long long)pm);
				}
				if (!is_file(r) && r->type != T_HUGE_PRIV && rn(2))
					put(r, i, vctr + 1000000);
			}
		}
		_exit(0);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		fail("the forked child failed (status 0x%x)", st);
}

/* mremap() moves a range; without EVENT_REMAP it leaves it unregistered. */
static void op_mremap(struct region *r)
{
	size_t len = r->n * r->us, align = r->type == T_THP || is_huge(r) ? HPS : PS;
	char *dst = map_at(len, align, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1), *q;

	note("mremap %s %s %zu units", nm(r), mname[r->mode], r->n);
	if (!dst)
		fail("mmap for mremap: %s", strerror(errno));
	q = mremap(r->addr, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	if (q == MAP_FAILED && errno == EFAULT && r->split) {
		/* One mremap() moves one VMA */
		unmap_at(dst, len);
		return;
	}
	if (q != dst)
		fail("mremap %s: %s", nm(r), strerror(errno));
	unmap_at(r->addr, len);		/* the old guard pages */
	r->addr = q;
	if (r->mode != M_NONE)
		drop_registration(r);
}

/* Close a userfaultfd and open a new one: its ranges are unregistered. */
static void op_reopen(void)
{
	int m = rn(2) ? M_ASYNC : M_SYNC, fd;
	struct region *r;

	note("reopen %s uffd", mname[m]);
	pthread_mutex_lock(&mu);
	/* The new file takes the old one's number: the handler polls it. */
	fd = uffd_open(m);
	if (dup3(fd, uffd[m], O_CLOEXEC) < 0)
		fail("dup3: %s", strerror(errno));
	close(fd);
	for (r = reg; r < reg + NREG; r++)
		if (r->used && r->mode == m)
			drop_registration(r);
	pthread_mutex_unlock(&mu);
	/*
	 * The old file is released, and its ranges unregistered, only when
	 * the handler's poll() of it returns: wait for that.
	 */
	if (m == M_SYNC) {
		unsigned int g = __atomic_load_n(&hgen, __ATOMIC_SEQ_CST);

		while (__atomic_load_n(&hgen, __ATOMIC_SEQ_CST) - g < 2)
			usleep(1000);
	}
}

/* ---- writers racing the controller ---- */

struct racer {
	pthread_t t;
	struct region *r;
	size_t s, e;
	int idx, nth;
	uint64_t base;
	uint64_t *last;		/* the last value written to each unit */
};

static void *race_writer(void *arg)
{
	struct racer *w = arg;
	size_t i;
	int round;

	for (round = 0; round < 4; round++)
		for (i = w->s + w->idx; i < w->e; i += w->nth) {
			uint64_t v = w->base + round * 1000 + i;

			put(w->r, i, v);
			w->last[i] = v;
		}
	return NULL;
}

/*
 * Two threads write their own units of r while the controller resets,
 * protects or pages the range out. Content must end as they left it; a unit
 * they wrote is WRITTEN unless the concurrent reset reported it (then the
 * write may have come before it).
 */
static void op_race(struct region *r)
{
	struct racer w[2];
	int what = rn(3), t;
	size_t s, e, i;
	bool *rep = calloc(r->n, 1);
	uint64_t *last = calloc(r->n, 8);
	struct pm_scan_arg a;
	long n = 0;
	int err = 0;

	pick(r, &s, &e);
	note("race %s %s [%zu,%zu) with %s", nm(r), mname[r->mode], s, e,
	     what == 0 ? "a WP_MATCHING scan" : what == 1 ? "WRITEPROTECT" : "PAGEOUT");
	/*
	 * The handler may see faults on units the model still has unprotected,
	 * and minor faults on pages a writer's retried fault put in the cache.
	 */
	if (what == 1 && wpreg(r))
		for (i = 0; i < r->n; i++)
			r->u[i].wp = UNK;
	for (i = s; i < e; i++) {
		touch(r, i);
		if (is_file(r) && r->u[i].cached == NO)
			r->u[i].cached = UNK;
	}
	for (t = 0; t < 2; t++) {
		w[t] = (struct racer){ .r = r, .s = s, .e = e, .idx = t, .nth = 2,
				       .base = vctr + t * 100000000ULL, .last = last };
		pthread_create(&w[t].t, NULL, race_writer, &w[t]);
	}
	racing = what == 1;
	if (what == 0 && r->mode == M_ASYNC) {
		scan_arg(&a, r->addr, r->addr + r->n * r->us, PM_SCAN_WP_MATCHING);
		a.category_mask = a.return_mask = PAGE_IS_WRITTEN;
		n = scan(&a);
		err = n < 0 ? errno : 0;
	} else if (what == 1 && wpreg(r)) {
		err = wp_range(uffd[r->mode], r->addr, r->n * r->us, true);
	} else {
		what = 2;
		madvise(r->addr, r->n * r->us, MADV_PAGEOUT);
	}
	for (t = 0; t < 2; t++)
		pthread_join(w[t].t, NULL);
	racing = 0;
	vctr += 2 * 100000000ULL;
	if (err)
		fail("race: %s", strerror(err));
	mark_reported(r, vec, n, rep);
	pthread_mutex_lock(&mu);
	for (i = 0; i < r->n; i++) {
		struct unit *u = &r->u[i];
		bool wrote = i >= s && i < e;

		if (what == 0 && !wrote && u->written && !rep[i])
			fail("%s async unit %zu: written, but the racing WP_MATCHING scan missed it",
			     nm(r), i);
		if (what == 0 && rep[i]) {
			u->wp = wrote ? UNK : YES;
			u->written = 0;
		} else if (what == 1) {
			u->wp = wrote ? UNK : YES;
			u->written = 0;
		}
		if (wrote) {
			u->v = last[i];
			u->mapped = u->cached = YES;
			if (what == 2 || (what == 0 && !rep[i])) {
				u->wp = NO;
				u->written = wpreg(r);
			}
		}
	}
	pthread_mutex_unlock(&mu);
	free(rep);
	free(last);
}

/*
 * A thread scans the span of every region over and over while the
 * controller maps, unmaps, moves, splits, forks or zaps under it: each scan
 * must still succeed with a well-formed answer. In one race of four, a scan
 * in four also protects what it matches (WP_MATCHING): the walk then lets
 * mmap_lock go between spans while the VMAs change, and the model forgets
 * what it knew of every async unit, before and after.
 */
struct scanner {
	pthread_t t;
	int stop;		/* set by the controller (atomic) */
	bool wp;		/* some scans protect */
	unsigned long lo, hi;
	uint64_t rng, scans;	/* scans: atomic */
	char why[200];		/* the failure, read after the join */
};

static void *scanner(void *arg)
{
	struct scanner *sc = arg;
	struct page_region v[64];
	struct pm_scan_arg a;
	const char *why;
	uint64_t pm[16];
	unsigned long p;
	long n;

	while (!__atomic_load_n(&sc->stop, __ATOMIC_ACQUIRE)) {
		sc->rng ^= sc->rng >> 12;
		sc->rng ^= sc->rng << 25;
		sc->rng ^= sc->rng >> 27;
		memset(&a, 0, sizeof(a));
		a.size = sizeof(a);
		a.start = sc->lo;
		a.end = sc->hi;
		a.flags = sc->wp && !(sc->rng % 4) ? PM_SCAN_WP_MATCHING : 0;
		a.vec = (unsigned long)v;
		a.vec_len = 1 + sc->rng % 64;
		a.category_anyof_mask = (sc->rng >> 8) & ALL_CATS;
		a.return_mask = ALL_CATS;
		n = scan(&a);
		why = n < 0 ? strerror(errno) : bad_answer(&a, v, n, 0);
		if (!why && (a.walk_end < a.start || a.walk_end > a.end))
			why = "walk_end";
		if (!why) {
			p = sc->lo + (sc->rng >> 16) % ((sc->hi - sc->lo) / PS) * PS;
			if (pread(pagemap_fd, pm, sizeof(pm), p / PS * 8) < 0)
				why = "a pagemap read failed";
		}
		if (why)
			snprintf(sc->why, sizeof(sc->why), "%s%s: %s (%ld regions, walk_end 0x%llx)",
				 a.flags ? "WP_MATCHING " : "", "scan", why, n,
				 (unsigned long long)a.walk_end);
		__atomic_add_fetch(&sc->scans, 1, __ATOMIC_RELEASE);
		if (why)
			break;
	}
	return NULL;
}

/* The model knows nothing of an async unit's protection or writes */
static void forget_async(void)
{
	struct region *q;
	size_t i;

	pthread_mutex_lock(&mu);
	for (q = reg; q < reg + NREG; q++)
		if (q->used && q->mode == M_ASYNC)
			for (i = 0; i < q->n; i++) {
				q->u[i].wp = UNK;
				q->u[i].written = 0;
			}
	pthread_mutex_unlock(&mu);
}

static void op_scan_race(struct region *r)
{
	struct scanner sc = { .lo = -1UL, .rng = rnd() | 1, .wp = !rn(4) };
	struct region *q;
	int what = rn(6);

	for (q = reg; q < reg + NREG; q++) {
		if (!q->used)
			continue;
		if ((unsigned long)q->addr < sc.lo)
			sc.lo = (unsigned long)q->addr;
		if ((unsigned long)q->addr + q->n * q->us > sc.hi)
			sc.hi = (unsigned long)q->addr + q->n * q->us;
	}
	note("scan-race over [%#lx, %#lx)%s with %s", sc.lo, sc.hi,
	     sc.wp ? ", protecting," : "",
	     (const char *[]){ "unmap and map", "mremap", "mprotect", "fork", "DONTNEED",
			       "a WP_MATCHING scan" }[what]);
	if (!r->used || sc.hi - sc.lo > (1UL << 30))
		return;
	if (sc.wp)
		forget_async();
	if (pthread_create(&sc.t, NULL, scanner, &sc))
		fail("pthread_create: %s", strerror(errno));
	/* The race starts once the thread has scanned */
	while (!__atomic_load_n(&sc.scans, __ATOMIC_ACQUIRE))
		sched_yield();
	switch (what) {
	case 0: op_unmap(r); op_map(r); break;
	case 1: op_mremap(r); break;
	case 2: op_mprotect(r); break;
	case 3: op_fork(); break;
	case 4: op_madvise(r, MADV_DONTNEED); break;
	default: op_scan_reset(r); break;
	}
	__atomic_store_n(&sc.stop, 1, __ATOMIC_RELEASE);
	pthread_join(sc.t, NULL);
	if (sc.why[0])
		fail("racing the controller, a %s", sc.why);
	if (sc.wp)
		forget_async();
	note("%llu scans", (unsigned long long)sc.scans);
}

/*
 * swapoff() brings every swapped page back through unuse_pte() and
 * shmem's own path, which must keep its protection; swapon() again.
 */
#define SWAPDEV "/dev/zram0"

/* A number in KiB from a line of @path that starts with @key, or -1 */
static long kib(const char *path, const char *key, int field)
{
	char line[256], *t, *save;
	long v = -1;
	FILE *f = fopen(path, "r");
	int i;

	while (f && v < 0 && fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, strlen(key)))
			continue;
		for (i = 0, t = strtok_r(line, " \t", &save); t && i < field; i++)
			t = strtok_r(NULL, " \t", &save);
		if (t)
			v = atol(t);
	}
	if (f)
		fclose(f);
	return v;
}

static void op_swapoff(void)
{
	long used = kib("/proc/swaps", SWAPDEV " ", 3);
	long avail = kib("/proc/meminfo", "MemAvailable:", 1);
	struct region *r;
	int err = 0;

	note("swapoff and swapon %s: %ld KiB used, %ld KiB available", SWAPDEV, used, avail);
	/*
	 * swapoff() makes its caller the OOM killer's first choice: not
	 * with memory short (stress-ng runs next to the fuzzer).
	 */
	if (!have_swap || used < 0 || avail < 2 * used + 65536)
		return;
	if (swapoff(SWAPDEV))
		err = errno;
	/* Not enough memory for all that is swapped is no failure */
	if (err && err != ENOMEM)
		fail("swapoff %s: %s", SWAPDEV, strerror(err));
	if (!err && swapon(SWAPDEV, 0))
		fail("swapon %s: %s", SWAPDEV, strerror(errno));
	for (r = reg; r < reg + NREG; r++)
		if (r->used)
			check_region(r);
}

/* ---- bad input ---- */

static void expect(const char *what, long ret, int want)
{
	int got = ret < 0 ? errno : 0;

	if (got != want)
		fail("%s: want %s, got %s", what, want ? strerror(want) : "success",
		     got ? strerror(got) : "success");
}

/* A page that is mapped and read-only: a vector the kernel cannot write */
static void *ro_page(void)
{
	static void *p;

	if (!p)
		p = mmap(NULL, PS, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		fail("mmap of a read-only page: %s", strerror(errno));
	return p;
}

/*
 * A PAGEMAP_SCAN argument whose every field is drawn from values that matter
 * (good, unaligned, reversed, past the address space, unmapped, read-only),
 * against the errno of upstream's order of checks: size, flags, categories,
 * the start's alignment, the range, a NULL vector with a length, the vector;
 * then EPERM for CHECK_WPASYNC on a range not all async. A region the model
 * tracks is scanned without WP_MATCHING, so that nothing it knows changes.
 */
#define FAR		(1UL << 62 | 1UL << 55)	/* no user address, tag or not */
#define UNMAPPED	0x10000UL	/* above mmap_min_addr, below the program */

/* The kernel ignores the top byte of an address on arm64, as upstream does */
static uint64_t untag(uint64_t a)
{
#ifdef __aarch64__
	return (uint64_t)((int64_t)(a << 8) >> 8);
#else
	return a;
#endif
}

/*
 * access_ok() of the ranges drawn here: a user one ends below 2^47 or in
 * the program's own mappings, any other beyond 2^55.
 */
static bool range_ok(uint64_t a, uint64_t len)
{
	return a + len >= a && a + len < 1UL << 55;
}

static void bad_scan_struct(struct region *r)
{
	__u64 *masks[4];
	uint64_t cats, flags, len, st, en;
	struct pm_scan_arg a;
	size_t s, e;
	int want = 0, m, where = rn(6), to = rn(6);
	bool async = false, maybe_fault = false;
	const char *why;
	long n;

	memset(&a, 0, sizeof(a));
	a.size = rn(8) ? sizeof(a) : 8 * rn(16);
	a.flags = rn(4) ? rn(4) : 1ULL << rn(64);
	masks[0] = &a.category_inverted;
	masks[1] = &a.category_mask;
	masks[2] = &a.category_anyof_mask;
	masks[3] = &a.return_mask;
	for (m = 0; m < 4; m++)
		*masks[m] = (rn(2) ? rnd() & ALL_CATS : 0) | (rn(32) ? 0 : 1ULL << (8 + rn(56)));
	a.max_pages = rn(2) ? 0 : rn(3) ? 1 + rn(64) : rnd();
	pick(r, &s, &e);
	switch (where) {
	case 0:
	case 1:		/* a tracked region, not to be protected */
		a.start = (unsigned long)r->addr + s * r->us;
		a.end = (unsigned long)r->addr + e * r->us - (rn(4) ? 0 : rn(PS));
		a.flags &= ~(uint64_t)PM_SCAN_WP_MATCHING;
		async = r->mode == M_ASYNC;
		if (!rn(4)) {	/* tagged */
			a.start |= rn(256) << 56;
			a.end |= rn(256) << 56;
		}
		break;
	case 2:		/* untracked: the read-only page */
		a.start = (unsigned long)ro_page();
		a.end = a.start + PS;
		break;
	case 3:		/* unaligned */
		a.start = (unsigned long)r->addr + 1 + rn(PS - 1);
		a.end = a.start + PS;
		break;
	case 4:		/* reversed */
		a.start = (unsigned long)r->addr + PS * rn(2);
		a.end = a.start - PS * (1 + rn(16));
		break;
	default:	/* past the address space */
		a.start = rn(2) ? (unsigned long)r->addr : FAR + PS * rn(16);
		a.end = a.start + (FAR << rn(2));
		break;
	}
	switch (to) {
	case 0:
		a.vec_len = rn(2) ? 0 : 1 + rn(8);
		break;
	case 1:
	case 2:
		/* 96 GiB of vector where the user address space surely has it */
		a.vec = (unsigned long)vec;
		a.vec_len = 1 + rn(vec_max);
		if (!rn(8) && a.vec + (sizeof(*vec) << 32) <= (1UL << 47) - PS)
			a.vec_len = 1ULL << 32;
		break;
	case 3:
		a.vec = (unsigned long)ro_page();
		a.vec_len = 1 + rn(PS / sizeof(*vec));
		break;
	case 4:
		a.vec = UNMAPPED + PS * rn(16);
		a.vec_len = 1 + rn(64);
		break;
	default:
		a.vec = rn(2) ? FAR : (unsigned long)vec;
		a.vec_len = rn(2) ? 1 + rn(64) : ~0ULL / (2 + rn(64));
		break;
	}
	cats = a.category_inverted | a.category_mask | a.category_anyof_mask | a.return_mask;
	flags = PM_SCAN_WP_MATCHING | PM_SCAN_CHECK_WPASYNC;
	len = a.vec_len > FAR / sizeof(*vec) ? FAR : a.vec_len * sizeof(*vec);
	st = untag(a.start);
	en = untag(a.end);
	if (a.size != sizeof(a) || (a.flags & ~flags) || (cats & ~ALL_CATS) || st % PS)
		want = EINVAL;
	else if (!range_ok(st, en - st))
		want = EFAULT;
	else if (!untag(a.vec) && a.vec_len)
		want = EINVAL;
	else if (untag(a.vec) && !range_ok(untag(a.vec), len))
		want = EFAULT;
	else if ((a.flags & PM_SCAN_CHECK_WPASYNC) && st < en && !async)
		want = EPERM;
	else
		maybe_fault = a.vec != (unsigned long)vec;
	note("bad input: PAGEMAP_SCAN of %d into %d, size %llu flags %#llx, want %s%s", where,
	     to, (unsigned long long)a.size, (unsigned long long)a.flags, strerror(want),
	     maybe_fault ? " or EFAULT" : "");
	n = scan(&a);
	if (n < 0 && maybe_fault && errno == EFAULT)
		return;
	expect("PAGEMAP_SCAN with a random argument", n, want);
	if (n < 0)
		return;
	/* Its answer, as the kernel saw the range: untagged and aligned */
	a.start = st;
	a.end = (en + PS - 1) & ~(PS - 1);
	why = a.vec == (unsigned long)vec ? bad_answer(&a, vec, n, 0) : NULL;
	if (why || (st < en && a.walk_end < st) || a.walk_end > a.end)
		fail("PAGEMAP_SCAN with a random argument: %s; %ld regions, walk_end 0x%llx",
		     why ? why : "walk_end", n, (unsigned long long)a.walk_end);
	/* Nothing it did may show in a region the model tracks */
	if (where <= 1)
		check_region(r);
}

/*
 * A userfaultfd ioctl with random fields: a good, unaligned, empty,
 * overflowing, far or tagged range; over a tracked region, the read-only
 * page (not registered) or no mapping at all; with a good, empty or
 * unknown mode; for COPY, a good, unaligned, read-only, unmapped or far
 * source. The errno is predicted by upstream's order of checks: the range
 * and COPY's source (EINVAL), the mode (EINVAL), then the mapping: no vma
 * is EINVAL for (UN)REGISTER and ENOENT for the others, and a vma not
 * registered is ENOENT. A tracked region gets only calls refused before
 * they look at it, or UFFDIO_WAKE; a REGISTER of the read-only page that
 * succeeds is undone.
 */
enum { U_REGISTER, U_UNREGISTER, U_WAKE, U_COPY, U_ZEROPAGE, U_WP, U_CONTINUE, U_NR };

static void bad_uffd_struct(struct region *r)
{
	static const char *what[] = { "REGISTER", "UNREGISTER", "WAKE", "COPY", "ZEROPAGE",
				      "WRITEPROTECT", "CONTINUE" };
	static const unsigned long cmd[] = { UFFDIO_REGISTER, UFFDIO_UNREGISTER, UFFDIO_WAKE,
					     UFFDIO_COPY, UFFDIO_ZEROPAGE, UFFDIO_WRITEPROTECT,
					     UFFDIO_CONTINUE };
	/* The modes each ioctl knows; DONTWAKE with WP is refused */
	static const uint64_t known[] = { 7, 0, 0, 3, 1, 3, 3 };
	static char src[8 * PS] __attribute__((aligned(4096)));
	union {
		struct uffdio_register reg;
		struct uffdio_range rg;
		struct uffdio_copy copy;
		struct uffdio_zeropage zero;
		struct uffdio_writeprotect wp;
		struct uffdio_continue cont;
	} a;
	int op = rn(U_NR), target = rn(3), fd = uffd[rn(2) ? M_SYNC : M_ASYNC], want = 0;
	uint64_t start, len = PS * (1 + rn(8)), mode = 0, from = (unsigned long)src;
	bool bad_range = rn(2), bad_mode = false;
	char buf[160];
	long ret;

	if (target == 0) {		/* tracked: refused before the vma is looked at */
		start = (unsigned long)r->addr;
		len = r->us;
		if (op != U_WAKE && known[op] && rn(2))
			bad_mode = true;
		else if (op != U_WAKE)
			bad_range = true;
	} else if (target == 1) {	/* the read-only page, not registered */
		start = (unsigned long)ro_page();
		len = PS;
	} else {			/* no vma: below mmap_min_addr, or unmapped */
		start = rn(2) ? 0 : UNMAPPED + PS * rn(16);
	}
	if (bad_range) {
		switch (rn(6)) {
		case 0: start += 1 + rn(PS - 1); break;
		case 1: len += 1 + rn(PS - 1); break;
		case 2: len = 0; break;
		case 3: start = FAR + PS * rn(16); break;
		case 4: len = -(PS << rn(8)); break;
		default: start |= (1 + rn(255)) << 56; break;
		}
	}
	if (known[op]) {
		mode = rn(2) ? rn(known[op] + 1) : 0;
		if (!rn(4) || bad_mode) {
			mode |= 1ULL << (op == U_REGISTER ? 3 + rn(61) : 2 + rn(62));
			bad_mode = true;
		}
	}
	if (op == U_COPY) {
		switch (rn(6)) {
		case 0: from += 8; break;
		case 1: from = (unsigned long)ro_page(); break;
		case 2: from = UNMAPPED; break;
		case 3: from = FAR; break;
		case 4: from = -PS; break;
		default: break;
		}
	}
	memset(&a, 0x5a, sizeof(a));
	a.rg = (struct uffdio_range){ start, len };
	switch (op) {
	case U_REGISTER: a.reg.mode = mode; break;
	case U_COPY:
		a.copy = (struct uffdio_copy){ start, from, len, mode, 0x5a5a };
		break;
	case U_ZEROPAGE: a.zero.mode = mode; break;
	case U_WP: a.wp.mode = mode; break;
	case U_CONTINUE: a.cont.mode = mode; break;
	default: break;
	}
	/* The prediction */
	if (start % PS || len % PS || !len || !range_ok(start, len) ||
	    (op == U_COPY && !range_ok(from, len)) ||
	    (op == U_REGISTER && !(mode & 7)) || bad_mode ||
	    (op == U_WP && mode == (UFFDIO_WRITEPROTECT_MODE_WP |
				    UFFDIO_WRITEPROTECT_MODE_DONTWAKE)))
		want = EINVAL;
	else if (op == U_WAKE || (target == 1 && op == U_UNREGISTER))
		want = 0;
	else if (op == U_REGISTER || op == U_UNREGISTER)
		want = target == 2 || (mode & UFFDIO_REGISTER_MODE_MINOR) ? EINVAL : 0;
	else
		want = ENOENT;
	snprintf(buf, sizeof(buf), "UFFDIO_%s %s [%#llx, +%#llx) mode %#llx%s%s", what[op],
		 target == 0 ? nm(r) : target == 1 ? "read-only page" : "no vma",
		 (unsigned long long)start, (unsigned long long)len, (unsigned long long)mode,
		 op == U_COPY ? " from " : "", op == U_COPY ? (from == (unsigned long)src ?
		 "src" : "elsewhere") : "");
	note("bad input: %s, want %s", buf, strerror(want));
	if (target == 0 && want != EINVAL && op != U_WAKE)
		fail("bad_uffd_struct: a call that would change a tracked region");
	ret = ioctl(fd, cmd[op], &a);
	expect(buf, ret, want);
	if (op == U_REGISTER && !ret) {
		struct uffdio_range rg = { start, len };

		expect("UFFDIO_UNREGISTER of the read-only page", ioctl(fd, UFFDIO_UNREGISTER, &rg),
		       0);
	}
	/* Nothing was filled: COPY leaves copy alone, or says why there */
	if (op == U_COPY && a.copy.copy != 0x5a5a && a.copy.copy != -want)
		fail("%s: copy is %lld", buf, (long long)a.copy.copy);
	if (target == 0)
		check_region(r);
}

static void op_bad(void)
{
	struct pm_scan_arg a;
	struct uffdio_writeprotect wp;
	struct uffdio_register rg;
	struct uffdio_copy cp;
	struct uffdio_api api;
	struct region *r = NULL;
	int i = rn(2) ? 17 + 2 * rn(2) : rn(21), fd;

	for (r = reg; r < reg + NREG && !r->used; r++)
		;
	if (r == reg + NREG)
		return;
	note("bad input %d", i);
	scan_arg(&a, r->addr, r->addr + r->us, 0);
	switch (i) {
	case 0:
		a.size = sizeof(a) - 8 * (1 + rn(3));
		expect("PAGEMAP_SCAN with a short size", scan(&a), EINVAL);
		break;
	case 1:
		a.flags = 1ULL << (2 + rn(62));
		expect("PAGEMAP_SCAN with an unknown flag", scan(&a), EINVAL);
		break;
	case 2:
		*(&a.category_inverted + rn(4)) |= 1ULL << (8 + rn(56));
		expect("PAGEMAP_SCAN with an unknown category", scan(&a), EINVAL);
		break;
	case 3:
		a.start += 1 + rn(PS - 1);
		expect("PAGEMAP_SCAN of an unaligned start", scan(&a), EINVAL);
		break;
	case 4:
		a.vec = 0;
		expect("PAGEMAP_SCAN with vec NULL and a vec_len", scan(&a), EINVAL);
		break;
	case 5:
		expect("PAGEMAP_SCAN from an unmapped argument",
		       ioctl(pagemap_fd, PAGEMAP_SCAN, (void *)8), EFAULT);
		break;
	case 6:
		wp = (struct uffdio_writeprotect){ { (unsigned long)r->addr, r->us },
						   UFFDIO_WRITEPROTECT_MODE_WP |
						   UFFDIO_WRITEPROTECT_MODE_DONTWAKE };
		expect("UFFDIO_WRITEPROTECT with WP|DONTWAKE",
		       ioctl(uffd[M_ASYNC], UFFDIO_WRITEPROTECT, &wp), EINVAL);
		break;
	case 7:
		wp = (struct uffdio_writeprotect){ { (unsigned long)r->addr + 1 + rn(PS - 1),
						     r->us }, 0 };
		expect("UFFDIO_WRITEPROTECT of an unaligned range",
		       ioctl(uffd[M_ASYNC], UFFDIO_WRITEPROTECT, &wp), EINVAL);
		break;
	case 8:
		rg = (struct uffdio_register){ { (unsigned long)r->addr, r->us },
					       1ULL << (3 + rn(60)), 0 };
		expect("UFFDIO_REGISTER with an unknown mode",
		       ioctl(uffd[M_ASYNC], UFFDIO_REGISTER, &rg), EINVAL);
		break;
	case 9:
		wp = (struct uffdio_writeprotect){ { (unsigned long)r->addr, 0 }, 0 };
		expect("UFFDIO_WRITEPROTECT of length 0",
		       ioctl(uffd[M_ASYNC], UFFDIO_WRITEPROTECT, &wp), EINVAL);
		break;
	case 10:
		/* Upstream checks the range before the vector */
		a.end = a.start - PS * (1 + rn(16));
		if (rn(2))
			a.vec = 0;
		expect("PAGEMAP_SCAN with end before start", scan(&a), EFAULT);
		break;
	case 11:
		a.vec_len = ~0ULL / (2 + rn(64));
		expect("PAGEMAP_SCAN with a vec_len past the address space",
		       scan(&a), EFAULT);
		break;
	case 12:
		/* The whole region matches: at least one range to copy out */
		a.vec = (unsigned long)ro_page();
		a.vec_len = 1 + rn(PS / sizeof(struct page_region));
		expect("PAGEMAP_SCAN into a read-only vector", scan(&a), EFAULT);
		break;
	case 13:
		wp = (struct uffdio_writeprotect){ { (unsigned long)r->addr, r->us },
						   1ULL << (2 + rn(62)) };
		expect("UFFDIO_WRITEPROTECT with an unknown mode",
		       ioctl(uffd[M_ASYNC], UFFDIO_WRITEPROTECT, &wp), EINVAL);
		break;
	case 14:
		wp = (struct uffdio_writeprotect){ { (unsigned long)r->addr,
						     -(unsigned long long)PS << rn(8) }, 0 };
		expect("UFFDIO_WRITEPROTECT of a range past the address space",
		       ioctl(uffd[M_ASYNC], UFFDIO_WRITEPROTECT, &wp), EINVAL);
		break;
	case 15:
		rg = (struct uffdio_register){ { 0, PS }, UFFDIO_REGISTER_MODE_WP, 0 };
		expect("UFFDIO_REGISTER below mmap_min_addr",
		       ioctl(uffd[M_ASYNC], UFFDIO_REGISTER, &rg), EINVAL);
		break;
	case 16:
		api = (struct uffdio_api){ UFFD_API, 0, 0 };
		expect("UFFDIO_API a second time",
		       ioctl(uffd[M_ASYNC], UFFDIO_API, &api), EINVAL);
		break;
	case 17:
		bad_scan_struct(r);
		break;
	case 18:
		/* userfaultfd keeps the tag: the range is past the address space */
		rg = (struct uffdio_register){ { (unsigned long)r->addr | (1 + rn(255)) << 56,
						 r->us }, UFFDIO_REGISTER_MODE_WP, 0 };
		wp = (struct uffdio_writeprotect){ rg.range, UFFDIO_WRITEPROTECT_MODE_WP };
		expect("UFFDIO_REGISTER of a tagged range",
		       ioctl(uffd[M_ASYNC], UFFDIO_REGISTER, &rg), EINVAL);
		expect("UFFDIO_WRITEPROTECT of a tagged range",
		       ioctl(uffd[M_ASYNC], UFFDIO_WRITEPROTECT, &wp), EINVAL);
		break;
	case 19:
		bad_uffd_struct(r);
		break;
	default:
		if (rn(2)) {
			fd = syscall(__NR_userfaultfd, 1 << (rn(2) ? 1 + rn(10) : 20 + rn(11)));
			expect("userfaultfd() with an unknown flag", fd, EINVAL);
			if (fd >= 0)
				close(fd);
			break;
		}
		cp = (struct uffdio_copy){ (unsigned long)r->addr, (unsigned long)ro_page(),
					   PS, 1ULL << (2 + rn(62)), 0 };
		expect("UFFDIO_COPY with an unknown mode",
		       ioctl(uffd[M_SYNC], UFFDIO_COPY, &cp), EINVAL);
		break;
	}
}

/* ---- the run ---- */

enum { O_MAP, O_UNMAP, O_WRITE, O_READ, O_PROTECT, O_RESET, O_SCAN, O_DONTNEED,
       O_PAGEOUT, O_PUNCH, O_MPROTECT, O_REREG, O_FILL, O_CONTINUE, O_FORK,
       O_MREMAP, O_REOPEN, O_RACE, O_BAD, O_SCAN_INTO, O_SCAN_RACE, O_SWAPOFF, O_TRUNCATE,
       O_CONCURRENT, NOPS };
static const char *oname[] = { "map", "unmap", "write", "read", "protect", "reset",
	"scan", "dontneed", "pageout", "punch", "mprotect", "reregister", "fill",
	"continue", "fork", "mremap", "reopen", "race", "bad", "scan-into", "scan-race",
	"swapoff", "truncate", "concurrent" };
static const int weight[] = { 4, 2, 20, 6, 10, 10, 6, 4, 2, 3, 2, 2, 3, 3, 1, 1, 1, 4, 3,
			      2, 2, 1, 2, 4 };

/* A random operation on r, one that r can take */
static int choose(struct region *r)
{
	int total = 0, x, o;

	for (o = 0; o < NOPS; o++)
		total += weight[o];
	x = rn(total);
	for (o = 0; x >= weight[o]; o++)
		x -= weight[o];
	if (!r->used && o != O_FORK && o != O_REOPEN && o != O_BAD && o != O_SWAPOFF)
		o = O_MAP;
	else if (r->used && o == O_MAP)
		o = O_WRITE;
	if ((o == O_PUNCH || o == O_TRUNCATE) && !is_file(r))
		o = O_DONTNEED;
	if (o == O_CONTINUE && !(r->regmode & UFFDIO_REGISTER_MODE_MINOR) && rn(4))
		o = O_FILL;
	return o;
}

static void op_concurrent(struct region *r);

/* Run operation o on r; false when it leaves nothing of r to check */
static bool dispatch(int o, struct region *r)
{
	switch (o) {
	case O_MAP: op_map(r); break;
	case O_UNMAP: op_unmap(r); return false;
	case O_WRITE: op_write(r); break;
	case O_READ: op_read(r); break;
	case O_PROTECT: op_protect(r); break;
	case O_RESET: op_scan_reset(r); break;
	case O_SCAN: op_scan_filtered(r); break;
	case O_DONTNEED: op_madvise(r, MADV_DONTNEED); break;
	case O_PAGEOUT: op_madvise(r, MADV_PAGEOUT); break;
	case O_PUNCH: op_punch(r); break;
	case O_TRUNCATE: op_truncate(r); break;
	case O_MPROTECT: op_mprotect(r); break;
	case O_REREG: op_reregister(r); break;
	case O_FILL: op_fill(r); break;
	case O_CONTINUE: op_continue(r); break;
	case O_FORK: op_fork(); return false;
	case O_MREMAP: op_mremap(r); break;
	case O_REOPEN: op_reopen(); return false;
	case O_RACE: op_race(r); break;
	case O_SCAN_INTO: op_scan_into(r); break;
	case O_SCAN_RACE: op_scan_race(r); break;
	case O_SWAPOFF: op_swapoff(); return false;
	case O_CONCURRENT: op_concurrent(r); break;
	default: op_bad(); return false;
	}
	return true;
}

/*
 * The controller runs an operation on r while a writer thread writes a
 * range of another region q, pass after pass, and a reader thread reads
 * the rest of q and checks it against the model: faults, zaps, forks,
 * scans and protection changes on r race with faults on q in the same mm.
 * The writer stops at the end of a pass, so every unit of its range is
 * written; the model takes each unit's last value afterwards.
 */
struct bg {
	pthread_t w, rd;
	struct region *q;
	size_t s, e;
	uint64_t base, *last, passes;	/* passes: atomic */
	bool *seen;			/* read by the reader */
	int stop;			/* atomic */
	char why[200];
};

static void *bg_writer(void *arg)
{
	struct bg *b = arg;
	uint64_t pass = 0;
	size_t i;

	do {
		for (i = b->s; i < b->e; i++) {
			b->last[i] = b->base + pass * b->q->n + i;
			put(b->q, i, b->last[i]);
		}
		__atomic_store_n(&b->passes, ++pass, __ATOMIC_RELEASE);
	} while (!__atomic_load_n(&b->stop, __ATOMIC_ACQUIRE));
	return NULL;
}

static void *bg_reader(void *arg)
{
	struct bg *b = arg;
	struct region *q = b->q;
	uint64_t got;
	size_t i;
	int k;

	while (!__atomic_load_n(&b->stop, __ATOMIC_ACQUIRE)) {
		for (i = 0; i < q->n; i++) {
			if (i >= b->s && i < b->e)
				continue;
			k = bad_word(q, i, &got);
			if (k >= 0) {
				/* nm() is the controller's: its buffers are not per thread */
				snprintf(b->why, sizeof(b->why),
					 "%s#%d unit %zu word %d: 0x%" PRIx64
					 ", the model holds %" PRIu64, tname[q->type],
					 (int)(q - reg), i, k, got, q->u[i].v);
				return NULL;
			}
			b->seen[i] = true;
		}
		sched_yield();
	}
	return NULL;
}

static void op_concurrent(struct region *r)
{
	static const int ops[] = { O_WRITE, O_READ, O_PROTECT, O_RESET, O_SCAN,
		O_DONTNEED, O_PAGEOUT, O_PUNCH, O_TRUNCATE, O_MPROTECT, O_REREG,
		O_FILL, O_CONTINUE, O_FORK, O_MREMAP, O_UNMAP, O_SCAN_INTO };
	struct region *q = &reg[rn(NREG)];
	int o = ops[rn(sizeof(ops) / sizeof(ops[0]))];
	struct bg b = { .q = q };
	size_t i;

	if (q == r || !q->used) {
		op_write(r);
		return;
	}
	if ((o == O_PUNCH || o == O_TRUNCATE) && !is_file(r))
		o = O_DONTNEED;
	pick(q, &b.s, &b.e);
	note("concurrent: %s while writing %s %s [%zu,%zu) and reading the rest",
	     oname[o], nm(q), mname[q->mode], b.s, b.e);
	b.base = vctr;
	vctr += 1000000000ULL;
	b.last = calloc(q->n, sizeof(*b.last));
	b.seen = calloc(q->n, sizeof(*b.seen));
	busy = q;
	busy_s = b.s;
	busy_e = b.e;
	if (pthread_create(&b.w, NULL, bg_writer, &b) ||
	    pthread_create(&b.rd, NULL, bg_reader, &b))
		fail("pthread_create: %s", strerror(errno));
	/* The race starts once the writer has been through its range */
	while (!__atomic_load_n(&b.passes, __ATOMIC_ACQUIRE))
		sched_yield();
	dispatch(o, r);
	__atomic_store_n(&b.stop, 1, __ATOMIC_RELEASE);
	pthread_join(b.w, NULL);
	pthread_join(b.rd, NULL);
	busy = NULL;
	if (b.why[0])
		fail("concurrent %s: the reader read %s", oname[o], b.why);
	pthread_mutex_lock(&mu);
	for (i = 0; i < q->n; i++) {
		if (i >= b.s && i < b.e) {
			q->u[i].v = b.last[i];
			wrote(q, i);
		} else if (b.seen[i]) {
			mark_read(q, i);
		}
	}
	pthread_mutex_unlock(&mu);
	note("%llu passes", (unsigned long long)b.passes);
	free(b.last);
	free(b.seen);
	check_region(q);
}

static int step(void)
{
	struct region *r = &reg[rn(NREG)];
	char buf[sizeof(struct uffd_msg)];
	int o = choose(r);

	stats_ops[o]++;
	if (!dispatch(o, r))
		return o;
	/* No message ever reaches an async userfaultfd. */
	if (read(uffd[M_ASYNC], buf, sizeof(buf)) >= 0 || errno != EAGAIN)
		fail("the async userfaultfd had a message (or: %s)", strerror(errno));
	if (r->used)
		check_region(r);
	return o;
}

static void probe(void)
{
	FILE *f;
	long n = 0;
	char *p;

	if (!shared_pool) {
		f = fopen("/proc/sys/vm/nr_hugepages", "r+");
		if (f) {
			if (fscanf(f, "%ld", &n) == 1 && n < 24) {
				rewind(f);
				fprintf(f, "24\n");
			}
			fclose(f);
		}
		p = mmap(NULL, HPS, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
		have_huge = p != MAP_FAILED;
		if (have_huge)
			munmap(p, HPS);
	}
	have_file = access("/mnt/ext4", W_OK) == 0;
	have_thp = access("/sys/kernel/mm/transparent_hugepage/enabled", R_OK) == 0;
	have_swap = geteuid() == 0 && kib("/proc/swaps", SWAPDEV " ", 3) >= 0;
}

/* One line of /proc/self/task/@tid/@what, without its newline */
static const char *task_file(const char *tid, const char *what, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%s/%s", tid, what);
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, len - 1);
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return buf;
}

/*
 * An operation takes milliseconds, seconds under a debug kernel: one that
 * has not ended in HANG_SECS is a hang, which would otherwise only show as
 * a guest that never finishes. Say where each thread waits, have the
 * kernel show its tasks (sysrq-t, on the console), and fail. The mappings
 * are not read: a thread may hold mmap_lock for good.
 */
static void *watchdog(void *arg)
{
	uint64_t seen = -1, now;
	char stat[256], wchan[64], sc[128];
	int still = 0, fd;
	struct dirent *e;
	DIR *d;

	(void)arg;
	for (;;) {
		sleep(10);
		now = __atomic_load_n(&opno, __ATOMIC_RELAXED);
		still = now == seen ? still + 10 : 0;
		seen = now;
		if (still < HANG_SECS)
			continue;
		fail_begin(now, "no progress in %d s", still);
		printf("# the threads (state, wchan, syscall):\n");
		d = opendir("/proc/self/task");
		while (d && (e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			task_file(e->d_name, "stat", stat, sizeof(stat));
			printf("#   %s: %c %s [%s]\n", e->d_name,
			       strrchr(stat, ')') ? strrchr(stat, ')')[2] : '?',
			       task_file(e->d_name, "wchan", wchan, sizeof(wchan)),
			       task_file(e->d_name, "syscall", sc, sizeof(sc)));
		}
		printf("# the kernel's tasks: sysrq-t on the console\n");
		fflush(stdout);
		fd = open("/proc/sysrq-trigger", O_WRONLY);
		if (fd >= 0 && write(fd, "t", 1) != 1)
			perror("sysrq-trigger");
		fail_end(now);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	uint64_t nops = 0, secs = 0;
	struct timespec t0, s, t;
	pthread_t th;
	int c, o;

	seed = time(NULL) ^ getpid();
	while ((c = getopt(argc, argv, "s:n:t:Pv")) != -1) {
		switch (c) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'n': nops = strtoull(optarg, NULL, 0); break;
		case 't': secs = strtoull(optarg, NULL, 0); break;
		case 'P': shared_pool = 1; break;
		case 'v': verbose = 1; break;
		default:
			fprintf(stderr, "usage: %s [-s SEED] [-n OPS] [-t SECONDS] [-P] [-v]\n",
				argv[0]);
			return 2;
		}
	}
	if (!nops && !secs)
		nops = 10000;
	rng = seed * 2654435761ULL + 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..1\n# uffd-fuzz: seed %" PRIu64 "\n", seed);
	pagemap_fd = open("/proc/self/pagemap", O_RDONLY);
	if (pagemap_fd < 0) {
		printf("ok 1 # SKIP no /proc/self/pagemap: %s\n", strerror(errno));
		return 4;
	}
	{
		struct pm_scan_arg a;

		scan_arg(&a, &a, &a, 0);
		a.vec = 0;
		a.vec_len = 0;
		if (scan(&a) < 0 && errno == ENOTTY) {
			printf("ok 1 # SKIP the kernel has no PAGEMAP_SCAN\n");
			return 4;
		}
	}
	probe();
	vec_max = 1024 * HPS / PS;
	vec = calloc(vec_max, sizeof(*vec));
	uffd[M_SYNC] = uffd_open(M_SYNC);
	uffd[M_ASYNC] = uffd_open(M_ASYNC);
	pthread_create(&th, NULL, handler, NULL);
	pthread_create(&th, NULL, watchdog, NULL);
	printf("# memory: hugetlb %s, ext4 file %s, THP %s, swapoff of %s %s\n",
	       have_huge ? "yes" : shared_pool ? "no (-P: its pool is shared)" : "no",
	       have_file ? "yes" : "no", have_thp ? "yes" : "no",
	       SWAPDEV, have_swap ? "yes" : "no");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (opno = 0;; opno++) {
		if (nops && opno >= nops)
			break;
		if (secs && !(opno % 64)) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			if ((uint64_t)(t.tv_sec - t0.tv_sec) >= secs)
				break;
		}
		clock_gettime(CLOCK_MONOTONIC, &s);
		o = step();
		clock_gettime(CLOCK_MONOTONIC, &t);
		stats_us[o] += (t.tv_sec - s.tv_sec) * 1000000 + (t.tv_nsec - s.tv_nsec) / 1000;
	}
	clock_gettime(CLOCK_MONOTONIC, &t);
	printf("# %" PRIu64 " operations in %ld s, %" PRIu64 " region checks, %" PRIu64
	       " write-protect faults served, %" PRIu64 " reported twice\n", opno,
	       (long)(t.tv_sec - t0.tv_sec), nchecks, nfaults, nfalse_pos);
	printf("#");
	for (o = 0; o < NOPS; o++)
		printf(" %s %" PRIu64, oname[o], stats_ops[o]);
	printf("\n# milliseconds:");
	for (o = 0; o < NOPS; o++)
		printf(" %s %" PRIu64, oname[o], stats_us[o] / 1000);
	printf("\nok 1 uffd-fuzz seed %" PRIu64 ": %" PRIu64 " operations, the model held\n",
	       seed, opno);
	return 0;
}
