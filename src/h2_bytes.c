/* libh2 internal: byte-span helpers. */
#include "h2_bytes.h"

/*@ requires \valid(dst + (0 .. n - 1));
    requires \valid_read(src + (0 .. n - 1));
    requires \separated(dst + (0 .. n - 1), src + (0 .. n - 1));
    assigns dst[0 .. n - 1];
    ensures \forall integer i; 0 <= i < n ==> dst[i] == src[i];
*/
void h2_bytes_copy(uint8_t *restrict dst, const uint8_t *restrict src, size_t n)
{
    size_t i;
    /*@ loop invariant 0 <= i <= n;
        loop invariant \forall integer k; 0 <= k < i ==> dst[k] == src[k];
        loop assigns i, dst[0 .. n - 1];
        loop variant n - i;
    */
    for (i = 0; i < n; i++) {
        dst[i] = src[i];
    }
}

/*@ requires \valid(dst + (0 .. n - 1));
    assigns dst[0 .. n - 1];
    ensures \forall integer i; 0 <= i < n ==> dst[i] == value;
*/
void h2_bytes_fill(uint8_t *dst, uint8_t value, size_t n)
{
    size_t i;
    /*@ loop invariant 0 <= i <= n;
        loop invariant \forall integer k; 0 <= k < i ==> dst[k] == value;
        loop assigns i, dst[0 .. n - 1];
        loop variant n - i;
    */
    for (i = 0; i < n; i++) {
        dst[i] = value;
    }
}

/*@ requires \valid_read(a + (0 .. n - 1));
    requires \valid_read(b + (0 .. n - 1));
    assigns \nothing;
    ensures \result == 1 <==> (\forall integer i; 0 <= i < n ==> a[i] == b[i]);
    ensures \result == 0 || \result == 1;
*/
int h2_bytes_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
    /* Four bytes a step: one loop test per four compares (field names and
     * values are compared whole on every HPACK table hit). */
    size_t whole = n - n % 4u;
    size_t i = 0;
    /*@ loop invariant 0 <= i <= whole;
        loop invariant i % 4 == 0;
        loop invariant \forall integer k; 0 <= k < i ==> a[k] == b[k];
        loop assigns i;
        loop variant whole - i;
    */
    while (i < whole) {
        if (a[i] != b[i] || a[i + 1u] != b[i + 1u] ||
            a[i + 2u] != b[i + 2u] || a[i + 3u] != b[i + 3u]) {
            return 0;
        }
        i += 4u;
    }
    /*@ loop invariant whole <= i <= n;
        loop invariant \forall integer k; 0 <= k < i ==> a[k] == b[k];
        loop assigns i;
        loop variant n - i;
    */
    for (; i < n; i++) {
        if (a[i] != b[i]) {
            return 0;
        }
    }
    return 1;
}
