/* The 16550 UART on COM1: the kernel console and the channel tests report on. */
#ifndef ARCH_I386_UART_H
#define ARCH_I386_UART_H

void uart_init(void);
void uart_putc(char c);
void uart_drain(void);

#endif
