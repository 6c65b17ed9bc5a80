/*
 * libh2 flow-control layer (RFC 9113 sections 5.2 and 6.9): window
 * arithmetic that never leaves [-2^31, 2^31 - 1], and the policy that turns
 * data the application has processed into WINDOW_UPDATE increments.
 */
#ifndef H2_WINDOW_H
#define H2_WINDOW_H

#include <stdint.h>

#include "h2_status.h"

/*
 * A window we grant the peer (inbound data). current is what the peer may
 * still send; max is the largest the window has been, the size the policy
 * refills it to; processed counts bytes the application has finished with
 * but not yet handed back.
 */
typedef struct h2_recv_window {
    int32_t current;
    uint32_t max;       /* <= 2^31 - 1 */
    uint32_t processed; /* <= max - current */
} h2_recv_window;

/*
 * Subtracts size from a window: the peer sent (or we send) flow-controlled
 * bytes. H2_E_FLOW_CONTROL (no change) when size exceeds the window; an
 * empty frame (size 0) always fits, even a negative window.
 */
h2_status h2_window_consume(int32_t *window, uint32_t size);

/*
 * Adds increment (a WINDOW_UPDATE) to a window. H2_E_FLOW_CONTROL (no
 * change) when the result would exceed 2^31 - 1 (RFC 9113 6.9.1).
 */
h2_status h2_window_open(int32_t *window, uint32_t increment);

/*
 * Moves a window by new_initial - old_initial after SETTINGS_INITIAL_WINDOW
 * _SIZE changed (RFC 9113 6.9.2); the window may become negative.
 * H2_E_FLOW_CONTROL (no change) when it would exceed 2^31 - 1.
 */
h2_status h2_window_adjust(int32_t *window, uint32_t old_initial,
                           uint32_t new_initial);

/* A receive window of initial size (<= 2^31 - 1). */
void h2_recv_window_init(h2_recv_window *w, uint32_t initial);

/* The peer sent size flow-controlled bytes: H2_E_FLOW_CONTROL (no change)
 * when it exceeds what we granted (size 0 always fits). */
h2_status h2_recv_window_consume(h2_recv_window *w, uint32_t size);

/*
 * The application finished with size bytes. Returns the increment to send
 * in a WINDOW_UPDATE now (the window grows by it), or 0 to wait: bytes are
 * handed back once half the window's worth has been processed, or sooner
 * (1024 bytes, or a quarter of a small window) when the window is empty,
 * so that a slow reader neither stalls the peer nor floods it with tiny
 * updates. size above what the peer has sent counts as what it has sent.
 */
uint32_t h2_recv_window_processed(h2_recv_window *w, uint32_t size);

/* We raised the window ourselves by increment (an explicit WINDOW_UPDATE):
 * H2_E_FLOW_CONTROL (no change) past 2^31 - 1. The refill size grows by
 * the same amount, capped at 2^31 - 1. */
h2_status h2_recv_window_open(h2_recv_window *w, uint32_t increment);

/* Our SETTINGS_INITIAL_WINDOW_SIZE changed from old_initial to
 * new_initial: the window moves by the difference (RFC 9113 6.9.2), and
 * the refill size with it, capped at 2^31 - 1. H2_E_FLOW_CONTROL (no
 * change) when the window would leave [-(2^31 - 1), 2^31 - 1]. */
h2_status h2_recv_window_adjust(h2_recv_window *w, uint32_t old_initial,
                                uint32_t new_initial);

#endif
