#ifndef RENDEZVOUS_H
#define RENDEZVOUS_H

/* Blocks until `parties` threads have arrived; returns 0, or -1 after a 10 s timeout. */
int rendezvous_wait(int parties);
int rendezvous_arrived(void);

#endif
