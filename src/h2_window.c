/* libh2 flow-control arithmetic and the window update policy. */
#include "h2_window.h"

#define WINDOW_MAX 2147483647

/*@ predicate recv_ok(h2_recv_window *w) =
        w->max <= WINDOW_MAX && w->current <= (integer)w->max &&
        w->current + w->processed <= w->max;
*/

/*@ requires \valid(window);
    assigns *window;
    ensures \result == H2_OK || \result == H2_E_FLOW_CONTROL;
    ensures \result == H2_OK <==> size == 0 || size <= \old(*window);
    ensures \result == H2_OK ==> *window == \old(*window) - size;
    ensures \result != H2_OK ==> *window == \old(*window);
*/
h2_status h2_window_consume(int32_t *window, uint32_t size)
{
    /* An empty frame fits any window, even a negative one (RFC 9113
     * 6.9.1 allows an empty DATA frame with END_STREAM there). */
    if (size == 0u) {
        return H2_OK;
    }
    if (*window < 0 || (uint32_t)*window < size) {
        return H2_E_FLOW_CONTROL;
    }
    *window = (int32_t)((int64_t)*window - (int64_t)size);
    return H2_OK;
}

/*@ requires \valid(window);
    assigns *window;
    ensures \result == H2_OK || \result == H2_E_FLOW_CONTROL;
    ensures \result == H2_OK <==> \old(*window) + increment <= WINDOW_MAX;
    ensures \result == H2_OK ==> *window == \old(*window) + increment;
    ensures \result != H2_OK ==> *window == \old(*window);
*/
h2_status h2_window_open(int32_t *window, uint32_t increment)
{
    int64_t sum = (int64_t)*window + (int64_t)increment;
    if (sum > (int64_t)WINDOW_MAX) {
        return H2_E_FLOW_CONTROL;
    }
    /*@ assert -2147483648 <= sum <= WINDOW_MAX; */
    *window = (int32_t)sum;
    return H2_OK;
}

/*@ requires \valid(window);
    requires old_initial <= WINDOW_MAX && new_initial <= WINDOW_MAX;
    assigns *window;
    ensures \result == H2_OK || \result == H2_E_FLOW_CONTROL;
    ensures \result == H2_OK ==>
            *window == \old(*window) + new_initial - old_initial;
    ensures \result != H2_OK ==> *window == \old(*window);
*/
h2_status h2_window_adjust(int32_t *window, uint32_t old_initial,
                           uint32_t new_initial)
{
    int64_t moved = (int64_t)*window + (int64_t)new_initial - (int64_t)old_initial;
    /* The lower bound cannot be reached by a window that only ever moved
     * through these functions (it stays >= initial - (2^31 - 1)), but the
     * check keeps the function total. */
    if (moved > (int64_t)WINDOW_MAX || moved < -(int64_t)WINDOW_MAX) {
        return H2_E_FLOW_CONTROL;
    }
    *window = (int32_t)moved;
    return H2_OK;
}

/* Sets the refill size to wanted, kept within [max(current, 0), 2^31 - 1],
 * and drops processed bytes that no longer fit under it (they could only
 * be handed back as an increment past the largest window allowed). */
/*@ requires \valid(w);
    requires w->current <= WINDOW_MAX;
    requires -4 * WINDOW_MAX <= wanted <= 4 * WINDOW_MAX;
    assigns w->max, w->processed;
    ensures recv_ok(w);
    ensures w->current == \old(w->current);
    ensures w->processed <= \old(w->processed);
    ensures \old(w->current) <= wanted <= WINDOW_MAX && 0 <= wanted ==> w->max == wanted;
*/
static void recv_window_resize(h2_recv_window *w, int64_t wanted)
{
    int64_t floor = w->current > 0 ? (int64_t)w->current : 0;
    int64_t size = wanted > (int64_t)WINDOW_MAX ? (int64_t)WINDOW_MAX : wanted;
    int64_t room;
    if (size < floor) {
        size = floor;
    }
    w->max = (uint32_t)size;
    room = size - (int64_t)w->current;
    if ((int64_t)w->processed > room) {
        w->processed = (uint32_t)room;
    }
}

/*@ requires \valid(w);
    requires initial <= WINDOW_MAX;
    assigns *w;
    ensures recv_ok(w);
    ensures w->current == initial && w->max == initial && w->processed == 0;
*/
void h2_recv_window_init(h2_recv_window *w, uint32_t initial)
{
    w->current = (int32_t)initial;
    w->max = initial;
    w->processed = 0u;
}

/*@ requires \valid(w) && recv_ok(w);
    assigns w->current;
    ensures recv_ok(w);
    ensures \result == H2_OK || \result == H2_E_FLOW_CONTROL;
    ensures \result == H2_OK <==> size == 0 || size <= \old(w->current);
    ensures \result == H2_OK ==> w->current == \old(w->current) - size;
    ensures \result != H2_OK ==> w->current == \old(w->current);
*/
h2_status h2_recv_window_consume(h2_recv_window *w, uint32_t size)
{
    return h2_window_consume(&w->current, size);
}

/*@ requires \valid(w) && recv_ok(w);
    assigns w->current, w->processed;
    ensures recv_ok(w);
    ensures \result <= WINDOW_MAX;
    ensures w->current == \old(w->current) + \result;
*/
uint32_t h2_recv_window_processed(h2_recv_window *w, uint32_t size)
{
    /* Received bytes not yet processed: no more can be handed back. */
    int64_t outstanding = (int64_t)w->max - (int64_t)w->current - (int64_t)w->processed;
    int64_t processed = (int64_t)w->processed +
                        ((int64_t)size < outstanding ? (int64_t)size : outstanding);
    int64_t small = (int64_t)w->max / 4 < 1024 ? (int64_t)w->max / 4 : 1024;
    int64_t increment = 0;

    if (processed > 0 &&
        ((w->current <= 0 && processed > small) ||
         processed >= (int64_t)w->max / 2)) {
        increment = processed < (int64_t)WINDOW_MAX ? processed : (int64_t)WINDOW_MAX;
    }
    /*@ assert 0 <= increment <= processed <= w->max - w->current; */
    w->processed = (uint32_t)(processed - increment);
    w->current = (int32_t)((int64_t)w->current + increment);
    return (uint32_t)increment;
}

/*@ requires \valid(w) && recv_ok(w);
    assigns w->current, w->max, w->processed;
    ensures recv_ok(w);
    ensures \result == H2_OK || \result == H2_E_FLOW_CONTROL;
    ensures \result == H2_OK <==> \old(w->current) + increment <= WINDOW_MAX;
    ensures \result == H2_OK ==> w->current == \old(w->current) + increment;
    ensures \result != H2_OK ==> w->current == \old(w->current) &&
            w->max == \old(w->max) && w->processed == \old(w->processed);
*/
h2_status h2_recv_window_open(h2_recv_window *w, uint32_t increment)
{
    int64_t sum = (int64_t)w->current + (int64_t)increment;
    if (sum > (int64_t)WINDOW_MAX) {
        return H2_E_FLOW_CONTROL;
    }
    w->current = (int32_t)sum;
    /* The window's nominal size grows with it, so the policy refills to
     * the larger size from now on; it is capped where the window is. */
    recv_window_resize(w, (int64_t)w->max + (int64_t)increment);
    return H2_OK;
}

/*@ requires \valid(w) && recv_ok(w);
    requires old_initial <= WINDOW_MAX && new_initial <= WINDOW_MAX;
    assigns w->current, w->max, w->processed;
    ensures recv_ok(w);
    ensures \result == H2_OK || \result == H2_E_FLOW_CONTROL;
    ensures \result == H2_OK <==> -WINDOW_MAX <=
            \old(w->current) + new_initial - old_initial <= WINDOW_MAX;
    ensures \result == H2_OK ==>
            w->current == \old(w->current) + new_initial - old_initial;
    ensures \result != H2_OK ==> w->current == \old(w->current) &&
            w->max == \old(w->max) && w->processed == \old(w->processed);
*/
h2_status h2_recv_window_adjust(h2_recv_window *w, uint32_t old_initial,
                                uint32_t new_initial)
{
    int64_t delta = (int64_t)new_initial - (int64_t)old_initial;
    int64_t current = (int64_t)w->current + delta;
    if (current > (int64_t)WINDOW_MAX || current < -(int64_t)WINDOW_MAX) {
        return H2_E_FLOW_CONTROL;
    }
    w->current = (int32_t)current;
    recv_window_resize(w, (int64_t)w->max + delta);
    return H2_OK;
}
