// SPDX-License-Identifier: GPL-2.0
/*
 * Check a RAM image saved from a snapshot of the snap-*.S firmware: the
 * first 8 bytes of every page hold a pass number, and a point-in-time
 * copy has pass P + 1 in pages 0..k-1 and pass P in the others, P >= 1.
 * Prints what it found; exits 0 if the image is such a copy.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PAGES	(1 << 20)

int main(int argc, char **argv)
{
	static uint8_t page[4096];
	uint64_t *v = malloc(MAX_PAGES * sizeof(*v)), p;
	size_t n = 0, k = 0, i, bad = 0;
	FILE *f;

	if (argc != 2 || !v || !(f = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: snapcheck RAM-IMAGE\n");
		return 2;
	}
	while (n < MAX_PAGES && fread(page, sizeof(page), 1, f) == 1)
		memcpy(&v[n++], page, sizeof(*v));
	if (!n) {
		fprintf(stderr, "snapcheck: %s is empty\n", argv[1]);
		return 1;
	}
	p = v[n - 1];
	while (k < n && v[k] == p + 1)
		k++;
	for (i = k; i < n; i++)
		bad += v[i] != p;
	printf("snapcheck: %zu pages: pass %llu in %zu, pass %llu in %zu, %zu in neither\n",
	       n, (unsigned long long)p + 1, k, (unsigned long long)p,
	       n - k - bad, bad);
	return p >= 1 && !bad ? 0 : 1;
}
