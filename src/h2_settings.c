/* libh2 settings layer: values, validation and the pending-ACK queue. */
#include "h2_settings.h"

#include "h2_frame.h"

/*@ assigns \nothing;
    ensures -1 <= \result < H2_SETTINGS_KNOWN;
    ensures 1 <= id <= 6 ==> \result == id - 1;
    ensures id == 8 ==> \result == 6;
    ensures id == 9 ==> \result == 7;
    ensures (id == 0 || id == 7 || id > 9) ==> \result == -1;
*/
int h2_settings_slot(uint16_t id)
{
    if (id >= 1u && id <= 6u) {
        return (int)id - 1;
    }
    if (id == 8u || id == 9u) {
        return (int)id - 2;
    }
    return -1;
}

/*@ requires slot < H2_SETTINGS_KNOWN;
    assigns \nothing;
    ensures slot < 6 ==> \result == slot + 1;
    ensures slot >= 6 ==> \result == slot + 2;
*/
uint16_t h2_settings_id(uint32_t slot)
{
    return (uint16_t)(slot < 6u ? slot + 1u : slot + 2u);
}

/*@ requires \valid(settings);
    assigns settings->values[0 .. H2_SETTINGS_KNOWN - 1];
    ensures settings->values[0] == 4096 && settings->values[1] == 1;
    ensures settings->values[2] == H2_SETTING_UNLIMITED;
    ensures settings->values[3] == H2_DEFAULT_WINDOW_SIZE;
    ensures settings->values[4] == H2_DEFAULT_MAX_FRAME_SIZE;
    ensures settings->values[5] == H2_SETTING_UNLIMITED;
    ensures settings->values[6] == 0 && settings->values[7] == 0;
*/
void h2_settings_init(h2_settings *settings)
{
    settings->values[0] = 4096u;
    settings->values[1] = 1u;
    settings->values[2] = H2_SETTING_UNLIMITED;
    settings->values[3] = H2_DEFAULT_WINDOW_SIZE;
    settings->values[4] = H2_DEFAULT_MAX_FRAME_SIZE;
    settings->values[5] = H2_SETTING_UNLIMITED;
    settings->values[6] = 0u;
    settings->values[7] = 0u;
}

/*@ logic integer setting_slot(integer id) =
        (1 <= id <= 6) ? id - 1 : (id == 8 || id == 9) ? id - 2 : -1;
*/

/*@ requires \valid_read(settings);
    assigns \nothing;
    ensures setting_slot(id) >= 0 ==>
            \result == settings->values[setting_slot(id)];
    ensures setting_slot(id) < 0 ==> \result == 0;
*/
uint32_t h2_settings_get(const h2_settings *settings, uint16_t id)
{
    int slot = h2_settings_slot(id);
    if (slot < 0) {
        return 0u;
    }
    return settings->values[slot];
}

/*@ requires \valid(error_code);
    assigns *error_code;
    ensures \result == H2_OK || \result == H2_E_INVALID_SETTINGS_VALUE;
    ensures \result == H2_OK ==> *error_code == \old(*error_code);
    ensures id == H2_SETTINGS_INITIAL_WINDOW_SIZE ==>
            (\result == H2_OK <==> value <= H2_MAX_WINDOW_SIZE);
    ensures id == H2_SETTINGS_MAX_FRAME_SIZE ==>
            (\result == H2_OK <==> (H2_DEFAULT_MAX_FRAME_SIZE <= value <= H2_MAX_MAX_FRAME_SIZE));
    ensures (id == H2_SETTINGS_ENABLE_PUSH || id == H2_SETTINGS_ENABLE_CONNECT_PROTOCOL ||
             id == H2_SETTINGS_NO_RFC7540_PRIORITIES) ==> (\result == H2_OK <==> value <= 1);
    ensures \result != H2_OK ==>
            (*error_code == H2_FLOW_CONTROL_ERROR <==> id == H2_SETTINGS_INITIAL_WINDOW_SIZE);
    ensures \result != H2_OK ==>
            (*error_code == H2_FLOW_CONTROL_ERROR || *error_code == H2_PROTOCOL_ERROR);
*/
h2_status h2_setting_check(uint16_t id, uint32_t value, uint32_t *error_code)
{
    switch (id) {
    case H2_SETTINGS_ENABLE_PUSH:
    case H2_SETTINGS_ENABLE_CONNECT_PROTOCOL:
    case H2_SETTINGS_NO_RFC7540_PRIORITIES:
        if (value > 1u) {
            *error_code = (uint32_t)H2_PROTOCOL_ERROR;
            return H2_E_INVALID_SETTINGS_VALUE;
        }
        return H2_OK;
    case H2_SETTINGS_INITIAL_WINDOW_SIZE:
        if (value > H2_MAX_WINDOW_SIZE) {
            *error_code = (uint32_t)H2_FLOW_CONTROL_ERROR;
            return H2_E_INVALID_SETTINGS_VALUE;
        }
        return H2_OK;
    case H2_SETTINGS_MAX_FRAME_SIZE:
        if (value < H2_DEFAULT_MAX_FRAME_SIZE || value > H2_MAX_MAX_FRAME_SIZE) {
            *error_code = (uint32_t)H2_PROTOCOL_ERROR;
            return H2_E_INVALID_SETTINGS_VALUE;
        }
        return H2_OK;
    default:
        return H2_OK;
    }
}

/*@ predicate queue_ok(h2_settings_queue *q) =
        q->first < H2_SETTINGS_MAX_PENDING && q->count <= H2_SETTINGS_MAX_PENDING;
*/

/*@ requires \valid(queue);
    assigns queue->first, queue->count;
    ensures queue_ok(queue) && queue->count == 0;
*/
void h2_settings_queue_init(h2_settings_queue *queue)
{
    queue->first = 0u;
    queue->count = 0u;
}

/*@ requires \valid_read(queue) && queue_ok(queue);
    requires \valid_read(current);
    assigns \nothing;
*/
uint32_t h2_settings_queue_latest(const h2_settings_queue *queue,
                                  const h2_settings *current, uint16_t id)
{
    int slot = h2_settings_slot(id);
    uint32_t value;
    uint32_t i;
    if (slot < 0) {
        return 0u;
    }
    value = current->values[slot];
    /*@ loop invariant 0 <= i <= queue->count;
        loop assigns i, value;
        loop variant queue->count - i;
    */
    for (i = 0u; i < queue->count; i++) {
        const h2_settings_change *c =
            &queue->items[(queue->first + i) % H2_SETTINGS_MAX_PENDING];
        if (c->changed[slot] != 0u) {
            value = c->values[slot];
        }
    }
    return value;
}

/*@ requires \valid_read(queue) && queue_ok(queue);
    requires \valid_read(current);
    assigns \nothing;
    ensures 1 <= id <= 6 ==> \result >= current->values[id - 1];
*/
uint32_t h2_settings_queue_peak(const h2_settings_queue *queue,
                                const h2_settings *current, uint16_t id)
{
    int slot = h2_settings_slot(id);
    uint32_t value;
    uint32_t i;
    if (slot < 0) {
        return 0u;
    }
    value = current->values[slot];
    /*@ loop invariant 0 <= i <= queue->count;
        loop invariant value >= current->values[slot];
        loop assigns i, value;
        loop variant queue->count - i;
    */
    for (i = 0u; i < queue->count; i++) {
        const h2_settings_change *c =
            &queue->items[(queue->first + i) % H2_SETTINGS_MAX_PENDING];
        if (c->changed[slot] != 0u && c->values[slot] > value) {
            value = c->values[slot];
        }
    }
    return value;
}

/*@ requires \valid(queue) && queue_ok(queue);
    requires \valid_read(current);
    requires count <= H2_SETTINGS_KNOWN;
    requires \valid_read(list + (0 .. count - 1));
    requires \separated(queue, current, list + (0 .. count - 1));
    assigns queue->items[0 .. H2_SETTINGS_MAX_PENDING - 1], queue->count;
    ensures queue_ok(queue);
    ensures \result == H2_OK || \result == H2_E_INVALID_SETTINGS_VALUE ||
            \result == H2_E_WOULD_BLOCK;
    ensures \result == H2_OK ==> queue->count == \old(queue->count) + 1;
    ensures \result != H2_OK ==> queue->count == \old(queue->count);
    ensures \result != H2_OK ==> \forall integer k; 0 <= k < H2_SETTINGS_MAX_PENDING ==>
            queue->items[k] == \old(queue->items[k]);
*/
h2_status h2_settings_queue_push(h2_settings_queue *queue,
                                 const h2_settings *current,
                                 const h2_setting *list, uint32_t count)
{
    uint32_t i;
    uint32_t code = 0u;
    h2_settings_change *c;

    if (queue->count >= H2_SETTINGS_MAX_PENDING) {
        return H2_E_WOULD_BLOCK;
    }
    /* Validate everything first: a failing call changes nothing. */
    /*@ loop invariant 0 <= i <= count;
        loop assigns i, code;
        loop variant count - i;
    */
    for (i = 0u; i < count; i++) {
        if (h2_setting_check(list[i].id, list[i].value, &code) != H2_OK) {
            return H2_E_INVALID_SETTINGS_VALUE;
        }
    }
    c = &queue->items[(queue->first + queue->count) % H2_SETTINGS_MAX_PENDING];
    /*@ loop invariant 0 <= i <= H2_SETTINGS_KNOWN;
        loop assigns i, c->values[0 .. H2_SETTINGS_KNOWN - 1],
                     c->changed[0 .. H2_SETTINGS_KNOWN - 1];
        loop variant H2_SETTINGS_KNOWN - i;
    */
    for (i = 0u; i < H2_SETTINGS_KNOWN; i++) {
        c->values[i] = current->values[i];
        c->changed[i] = 0u;
    }
    /*@ loop invariant 0 <= i <= count;
        loop assigns i, c->values[0 .. H2_SETTINGS_KNOWN - 1],
                     c->changed[0 .. H2_SETTINGS_KNOWN - 1];
        loop variant count - i;
    */
    for (i = 0u; i < count; i++) {
        int slot = h2_settings_slot(list[i].id);
        if (slot >= 0) {
            c->values[slot] = list[i].value;
            c->changed[slot] = 1u;
        }
    }
    queue->count++;
    return H2_OK;
}

/*@ requires \valid(queue) && queue_ok(queue);
    requires \valid(current);
    requires \valid(changed + (0 .. H2_SETTINGS_KNOWN - 1));
    requires \valid(changed_count);
    requires \separated(queue, current, changed + (0 .. H2_SETTINGS_KNOWN - 1), changed_count);
    assigns queue->first, queue->count, current->values[0 .. H2_SETTINGS_KNOWN - 1],
            changed[0 .. H2_SETTINGS_KNOWN - 1], *changed_count;
    ensures queue_ok(queue);
    ensures \result == H2_OK || \result == H2_E_PROTOCOL;
    ensures \result == H2_E_PROTOCOL <==> \old(queue->count) == 0;
    ensures \result == H2_OK ==> queue->count == \old(queue->count) - 1;
    ensures \result == H2_OK ==> *changed_count <= H2_SETTINGS_KNOWN;
    ensures \result != H2_OK ==> queue->count == 0;
*/
h2_status h2_settings_queue_ack(h2_settings_queue *queue,
                                h2_settings *current,
                                h2_changed_setting *changed,
                                uint32_t *changed_count)
{
    uint32_t i;
    uint32_t n = 0u;
    const h2_settings_change *c;

    if (queue->count == 0u) {
        return H2_E_PROTOCOL;
    }
    c = &queue->items[queue->first];
    /*@ loop invariant 0 <= i <= H2_SETTINGS_KNOWN;
        loop invariant 0 <= n <= i;
        loop assigns i, n, current->values[0 .. H2_SETTINGS_KNOWN - 1],
                     changed[0 .. H2_SETTINGS_KNOWN - 1];
        loop variant H2_SETTINGS_KNOWN - i;
    */
    for (i = 0u; i < H2_SETTINGS_KNOWN; i++) {
        if (c->changed[i] != 0u) {
            changed[n].id = h2_settings_id(i);
            changed[n].old_value = current->values[i];
            changed[n].new_value = c->values[i];
            current->values[i] = c->values[i];
            n++;
        }
    }
    *changed_count = n;
    queue->first = (queue->first + 1u) % H2_SETTINGS_MAX_PENDING;
    queue->count--;
    return H2_OK;
}
