/*
 * Firmware for the QEMU snapshot client: from the reset vector, enter
 * 32-bit protected mode, then write pass number 1, 2, ... into the first
 * word of every page of [BASE, BASE + SIZE), forever.  A point-in-time
 * snapshot of RAM holds pass P + 1 in a prefix of the pages and P in the
 * rest.
 */
#define BASE	0x100000
#define SIZE	0x1000000

	.code16
	.globl _start
_start:
	cli
	lgdtl	%cs:(gdt_desc - _start)
	mov	%cr0, %eax
	or	$1, %eax
	mov	%eax, %cr0
	ljmpl	$8, $pm32

	.code32
pm32:
	mov	$0x10, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$1, %ebx
outer:
	mov	$BASE, %edi
inner:
	mov	%ebx, (%edi)
	movl	$0, 4(%edi)
	add	$4096, %edi
	cmp	$(BASE + SIZE), %edi
	jb	inner
	inc	%ebx
	jmp	outer

	.p2align 3
gdt:
	.quad	0, 0x00cf9a000000ffff, 0x00cf92000000ffff
gdt_desc:
	.word	23
	.long	gdt

	/* The reset vector, 16 bytes below 4 GiB */
	.code16
	.org	0xfff0
	ljmp	$0xf000, $0
	.org	0x10000
