/*
 * Firmware for the QEMU snapshot client, run from flash at 0 with the MMU
 * off: write pass number 1, 2, ... into the first word of every page of
 * [BASE, BASE + SIZE), forever.  A point-in-time snapshot of RAM holds
 * pass P + 1 in a prefix of the pages and P in the rest.
 */
#define BASE	0x40100000
#define SIZE	0x1000000

	.globl _start
_start:
	mov	x1, #1
	ldr	x3, =BASE + SIZE
outer:
	ldr	x2, =BASE
inner:
	str	x1, [x2]
	add	x2, x2, #4096
	cmp	x2, x3
	b.lo	inner
	add	x1, x1, #1
	b	outer
	.ltorg
