/* Flow control: window arithmetic bounds and the update policy. */
#include "test_util.h"

static void test_consume_and_open_stay_in_bounds(void **state)
{
    int32_t w = 100;
    (void)state;
    assert_int_equal(h2_window_consume(&w, 100), H2_OK);
    assert_int_equal(w, 0);
    assert_int_equal(h2_window_consume(&w, 1), H2_E_FLOW_CONTROL);
    assert_int_equal(w, 0);
    assert_int_equal(h2_window_consume(&w, 0), H2_OK);
    assert_int_equal(h2_window_open(&w, 0x7fffffff), H2_OK);
    assert_int_equal(w, 0x7fffffff);
    assert_int_equal(h2_window_open(&w, 1), H2_E_FLOW_CONTROL);
    assert_int_equal(w, 0x7fffffff);
    w = -5;
    /* An empty frame fits a negative window (RFC 9113 6.9.1). */
    assert_int_equal(h2_window_consume(&w, 0), H2_OK);
    assert_int_equal(h2_window_consume(&w, 1), H2_E_FLOW_CONTROL);
    assert_int_equal(w, -5);
    assert_int_equal(h2_window_open(&w, 10), H2_OK);
    assert_int_equal(w, 5);
}

static void test_initial_window_change_moves_windows(void **state)
{
    int32_t w = 65535 - 60000;
    (void)state;
    /* RFC 9113 6.9.2: a smaller initial size can make a window negative. */
    assert_int_equal(h2_window_adjust(&w, 65535, 1000), H2_OK);
    assert_int_equal(w, 5535 - 64535);
    assert_int_equal(h2_window_adjust(&w, 1000, 65535), H2_OK);
    assert_int_equal(w, 5535);
    w = 0x7fffffff - 10;
    assert_int_equal(h2_window_adjust(&w, 65535, 65535 + 11), H2_E_FLOW_CONTROL);
    assert_int_equal(w, 0x7fffffff - 10);
    assert_int_equal(h2_window_adjust(&w, 65535, 65535 + 10), H2_OK);
    assert_int_equal(w, 0x7fffffff);
}

static void test_updates_wait_for_half_the_window(void **state)
{
    h2_recv_window w;
    (void)state;
    h2_recv_window_init(&w, 65535);
    assert_int_equal(h2_recv_window_consume(&w, 40000), H2_OK);
    assert_int_equal(w.current, 25535);
    assert_int_equal(h2_recv_window_processed(&w, 10000), 0);
    assert_int_equal(h2_recv_window_processed(&w, 22766), 0);
    /* 32767 = 65535 / 2 processed: hand it all back at once. */
    assert_int_equal(h2_recv_window_processed(&w, 1), 32767);
    assert_int_equal(w.current, 25535 + 32767);
    assert_int_equal(w.processed, 0);
    /* Processing more than was received counts only what was received,
     * and 7233 bytes are below the threshold. */
    assert_int_equal(h2_recv_window_processed(&w, 1000000), 0);
    assert_int_equal(w.processed, 7233);
    assert_int_equal(w.current, 58302);
    assert_int_equal(h2_recv_window_consume(&w, 58302), H2_OK);
    /* Now the window is empty: the 7233 bytes go back without waiting. */
    assert_int_equal(h2_recv_window_processed(&w, 0), 7233);
    assert_int_equal(w.current, 7233);
}

static void test_empty_window_is_refilled_early(void **state)
{
    h2_recv_window w;
    (void)state;
    h2_recv_window_init(&w, 65535);
    assert_int_equal(h2_recv_window_consume(&w, 65535), H2_OK);
    assert_int_equal(h2_recv_window_consume(&w, 1), H2_E_FLOW_CONTROL);
    assert_int_equal(h2_recv_window_processed(&w, 1024), 0);
    assert_int_equal(h2_recv_window_processed(&w, 1), 1025);
    assert_int_equal(w.current, 1025);
}

static void test_small_window_uses_a_quarter(void **state)
{
    h2_recv_window w;
    (void)state;
    h2_recv_window_init(&w, 100);
    assert_int_equal(h2_recv_window_consume(&w, 100), H2_OK);
    assert_int_equal(h2_recv_window_processed(&w, 25), 0);
    assert_int_equal(h2_recv_window_processed(&w, 1), 26);
}

static void test_explicit_open_grows_the_target(void **state)
{
    h2_recv_window w;
    (void)state;
    h2_recv_window_init(&w, 1000);
    assert_int_equal(h2_recv_window_open(&w, 9000), H2_OK);
    assert_int_equal(w.current, 10000);
    assert_int_equal(w.max, 10000);
    assert_int_equal(h2_recv_window_consume(&w, 6000), H2_OK);
    assert_int_equal(h2_recv_window_processed(&w, 4999), 0);
    assert_int_equal(h2_recv_window_processed(&w, 1), 5000);
    assert_int_equal(h2_recv_window_open(&w, 0x7fffffff), H2_E_FLOW_CONTROL);
    assert_int_equal(w.max, 10000);
}

static void test_refill_size_is_capped_not_refused(void **state)
{
    h2_recv_window w;
    (void)state;
    h2_recv_window_init(&w, 65535);
    assert_int_equal(h2_recv_window_open(&w, 0x7fffffff - 65535), H2_OK);
    assert_int_equal(w.current, 0x7fffffff);
    assert_int_equal(w.max, 0x7fffffff);
    assert_int_equal(h2_recv_window_consume(&w, 1000), H2_OK);
    assert_int_equal(h2_recv_window_processed(&w, 100), 0);
    assert_int_equal(w.processed, 100);
    /* The window itself still fits, so the raise is taken; the refill size
     * stays at 2^31 - 1 and only 50 processed bytes can still go back. */
    assert_int_equal(h2_recv_window_adjust(&w, 65535, 65535 + 950), H2_OK);
    assert_int_equal(w.current, 0x7fffffff - 50);
    assert_int_equal(w.max, 0x7fffffff);
    assert_int_equal(w.processed, 50);
    assert_int_equal(h2_recv_window_adjust(&w, 65535, 65535 + 51), H2_E_FLOW_CONTROL);
    assert_int_equal(w.current, 0x7fffffff - 50);
    assert_int_equal(h2_recv_window_open(&w, 50), H2_OK);
    assert_int_equal(w.current, 0x7fffffff);
    assert_int_equal(w.processed, 0);
    assert_int_equal(h2_recv_window_open(&w, 1), H2_E_FLOW_CONTROL);
    /* A negative window takes an empty frame and nothing more. */
    assert_int_equal(h2_recv_window_adjust(&w, 0x7fffffff, 0), H2_OK);
    assert_int_equal(w.current, 0);
    assert_int_equal(h2_recv_window_consume(&w, 0), H2_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_consume_and_open_stay_in_bounds),
        cmocka_unit_test(test_initial_window_change_moves_windows),
        cmocka_unit_test(test_updates_wait_for_half_the_window),
        cmocka_unit_test(test_empty_window_is_refilled_early),
        cmocka_unit_test(test_small_window_uses_a_quarter),
        cmocka_unit_test(test_explicit_open_grows_the_target),
        cmocka_unit_test(test_refill_size_is_capped_not_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
