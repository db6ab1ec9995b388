// SPDX-License-Identifier: GPL-2.0
/*
 * A short tour of what the running kernel's userfaultfd offers: the API
 * features it advertises, then a missing fault resolved with UFFDIO_COPY and,
 * where write-protection is advertised, a write-protect fault resolved with
 * UFFDIO_WRITEPROTECT. Exits non-zero if an advertised feature misbehaves.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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
#include <unistd.h>

static const char *const feature_names[64] = {
	"PAGEFAULT_FLAG_WP", "EVENT_FORK", "EVENT_REMAP", "EVENT_REMOVE",
	"MISSING_HUGETLBFS", "MISSING_SHMEM", "EVENT_UNMAP", "SIGBUS",
	"THREAD_ID", "MINOR_HUGETLBFS", "MINOR_SHMEM", "EXACT_ADDRESS",
	"WP_HUGETLBFS_SHMEM", "WP_UNPOPULATED", "POISON", "WP_ASYNC",
	"MOVE",
};

static long page;
static int uffd;

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
	uint64_t addr = msg.arg.pagefault.address & ~(page - 1);

	if (msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP) {
		struct uffdio_writeprotect wp = {
			.range = { .start = addr, .len = page }, .mode = 0,
		};
		printf("  handler: write-protect fault at %#llx, unprotecting\n",
		       (unsigned long long)msg.arg.pagefault.address);
		if (ioctl(uffd, UFFDIO_WRITEPROTECT, &wp))
			die("UFFDIO_WRITEPROTECT");
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

int main(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	int ret = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	page = sysconf(_SC_PAGESIZE);
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
		fault_once(src, write_first, area);
	}
	printf("demo %s\n", ret ? "FAILED" : "done");
	return ret;
}
