/*
 * COM1 driven by polling.  Bochs drops a byte written while the transmitter
 * is still busy, so every byte waits for the holding register to empty, and
 * uart_drain() waits for the shift register too before the machine goes off.
 */
#include "arch/i386/uart.h"
#include "arch/i386/io.h"

#define COM1            0x3F8
#define UART_DATA       (COM1 + 0)
#define UART_IER        (COM1 + 1)
#define UART_FCR        (COM1 + 2)
#define UART_LCR        (COM1 + 3)
#define UART_MCR        (COM1 + 4)
#define UART_LSR        (COM1 + 5)
#define UART_DLL        (COM1 + 0)      /* with LCR.DLAB set */
#define UART_DLM        (COM1 + 1)

#define LCR_8N1         0x03
#define LCR_DLAB        0x80
#define LSR_THRE        0x20            /* holding register empty */
#define LSR_TEMT        0x40            /* holding and shift registers empty */

/* 115200 baud, 8N1, FIFOs on, interrupts off. */
void uart_init(void)
{
	outb(UART_IER, 0x00);
	outb(UART_LCR, LCR_DLAB);
	outb(UART_DLL, 1);              /* divisor 1: 115200 baud */
	outb(UART_DLM, 0);
	outb(UART_LCR, LCR_8N1);
	outb(UART_FCR, 0xC7);           /* enable and clear FIFOs */
	outb(UART_MCR, 0x03);           /* DTR, RTS */
}

void uart_putc(char c)
{
	while (!(inb(UART_LSR) & LSR_THRE))
		;
	outb(UART_DATA, (uint8_t)c);
}

/* Wait until every byte written has left the wire. */
void uart_drain(void)
{
	while (!(inb(UART_LSR) & LSR_TEMT))
		;
}
